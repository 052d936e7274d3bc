import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { BadUserInputError } from './errors';

export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 0, description: 'Items to skip' })
  offset: number = 0;

  @Field(() => Int, { defaultValue: 20, description: `Items to return, at most ${MAX_PAGE_SIZE}` })
  limit: number = 20;
}

/** Checks page arguments and returns TypeORM's skip/take. */
export function pageWindow(args: PageArgs): { skip: number; take: number } {
  if (!Number.isInteger(args.offset) || args.offset < 0) throw new BadUserInputError('offset', 'must be 0 or more');
  if (!Number.isInteger(args.limit) || args.limit < 1 || args.limit > MAX_PAGE_SIZE) {
    throw new BadUserInputError('limit', `must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return { skip: args.offset, take: args.limit };
}

export interface Page<T> {
  items: T[];
  totalCount: number;
  offset: number;
}

/** A page type per item type: CitizenPage { items, totalCount, offset }. */
export function PageOf<T extends object>(itemType: ClassType<T>, name: string) {
  @ObjectType(name)
  class PageClass implements Page<T> {
    @Field(() => [itemType])
    items: T[];

    @Field(() => Int)
    totalCount: number;

    @Field(() => Int)
    offset: number;
  }
  return PageClass;
}

/**
 * One page of a list already read whole (a person's or an enterprise's own rows, loaded in one batch per request):
 * the same arguments, checks and shape as the root lists.
 */
export function pageOf<T>(rows: readonly T[], args: PageArgs): Page<T> {
  const { skip, take } = pageWindow(args);
  return { items: rows.slice(skip, skip + take), totalCount: rows.length, offset: skip };
}
