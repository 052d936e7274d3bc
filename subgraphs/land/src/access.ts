import { ForbiddenError, RequestContext } from '@onestop/platform';
import type { LandTransaction } from './entities/land-transaction';
import { rightsBy, transactionsBy } from './loaders';

/** A citizen is a party to a transaction as its transferor or transferee. */
export function isParty(subject: string, transaction: LandTransaction): boolean {
  return transaction.transferorPersonalNumber === subject || transaction.transfereePersonalNumber === subject;
}

/** The transaction, if the caller may read it: a citizen only as a party; staff, analysts and admins by their own rules. */
export function guardTransaction<T extends LandTransaction | null>(ctx: RequestContext, transaction: T): T {
  const identity = ctx.identity;
  if (transaction && !ctx.securityOff && identity?.role === 'citizen' && !isParty(identity.subject, transaction)) {
    throw new ForbiddenError('A citizen may only read land transactions they are a party to', { role: 'citizen' });
  }
  return transaction;
}

/**
 * Whether the caller may read a parcel's rights and transactions: a citizen who holds a right on it now or is a party to
 * one of its transactions; everyone else by their own rules (@Authorized, personal-data masking).
 */
export async function mayReadParcelRecords(ctx: RequestContext, parcelId: string): Promise<boolean> {
  const identity = ctx.identity;
  if (ctx.securityOff || identity?.role !== 'citizen') return true;
  const rights = await rightsBy(ctx, 'parcelId', true).load(parcelId);
  if (rights.some((right) => right.holderPersonalNumber === identity.subject)) return true;
  const transactions = await transactionsBy(ctx, 'parcelId').load(parcelId);
  return transactions.some((transaction) => isParty(identity.subject, transaction));
}

export async function requireParcelRecords(ctx: RequestContext, parcelId: string, what: string): Promise<void> {
  if (!(await mayReadParcelRecords(ctx, parcelId))) {
    throw new ForbiddenError(`A citizen may only read the ${what} of parcels they hold or are a party to`, { role: 'citizen' });
  }
}
