import { Directive, Field, ObjectType } from 'type-graphql';

/** Key-only stub of the single-window's Dossier, which this subgraph extends with its own view. */
@ObjectType('Dossier')
@Directive('@key(fields: "code")')
export class DossierRef {
  @Field()
  code: string;
}
