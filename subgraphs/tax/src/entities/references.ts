import { Directive, Field, ObjectType } from 'type-graphql';
import { LocatesProperty } from '@onestop/platform';

/** Key-only stubs of entities owned by other subgraphs. */
@ObjectType('Citizen')
@Directive('@key(fields: "personalNumber")')
export class CitizenRef {
  @Field()
  personalNumber: string;
}

@ObjectType('Enterprise')
@Directive('@key(fields: "enterpriseCode")')
export class EnterpriseRef {
  @Field()
  enterpriseCode: string;
}

@ObjectType('LandParcel')
@Directive('@key(fields: "id")')
export class LandParcelRef {
  @Field()
  @LocatesProperty()
  id: string;
}

@ObjectType('Dossier')
@Directive('@key(fields: "code")')
export class DossierRef {
  @Field()
  code: string;
}
