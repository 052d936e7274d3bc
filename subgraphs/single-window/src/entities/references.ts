import { Directive, Field, ObjectType } from 'type-graphql';

/** Key-only stubs of entities owned by other subgraphs, extended here with the dossiers they filed. */
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
