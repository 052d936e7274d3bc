import { Directive, Field, ObjectType } from 'type-graphql';

/** Key-only stubs of entities owned by other subgraphs. */
@ObjectType('Citizen')
@Directive('@key(fields: "personalNumber")')
export class CitizenRef {
  @Field()
  personalNumber: string;
}

@ObjectType('Dossier')
@Directive('@key(fields: "code")')
export class DossierRef {
  @Field()
  code: string;
}
