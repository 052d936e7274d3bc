import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A paper a procedure asks for (thành phần hồ sơ)' })
export class RequiredPaper {
  @Field({ description: 'Its code, e.g. LAND_TRANSFER_CONTRACT; a dossier\'s document names it as its kind' })
  kind: string;

  @Field({ description: 'Its name as the catalogue gives it' })
  name: string;

  @Field({ description: 'The dossier is incomplete without it' })
  mandatory: boolean;
}

export const KIND = /^[A-Z][A-Z0-9_]{0,59}$/;

/** A procedure's list as stored (JSON text); an empty list when none is given. */
export function parsePapers(text: string | null | undefined): RequiredPaper[] {
  if (!text) return [];
  const list = JSON.parse(text) as RequiredPaper[];
  return list.map(({ kind, name, mandatory }) => ({ kind, name, mandatory: !!mandatory }));
}

/** The mandatory papers of `papers` that none of `kinds` names. */
export function missingPapers(papers: RequiredPaper[], kinds: Iterable<string>): RequiredPaper[] {
  const present = new Set(kinds);
  return papers.filter((paper) => paper.mandatory && !present.has(paper.kind));
}
