import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { DataSource, In, Not } from 'typeorm';
import { groupByKey, RequestContext } from '../context';
import { HandoffDirection, HandoffLogEntry, HandoffOutcome, InboxMessage, OutboxMessage } from './entities';
import { camelCase } from '../naming';

type Entry = Omit<HandoffLogEntry, 'id'> & { id: string };

/** One member's message log for some dossiers: outbox (queued, published), inbox (applied) and the exceptions, by time. */
export async function handoffLogOf(db: DataSource, member: string, codes: readonly string[]): Promise<Entry[][]> {
  const where = In([...codes]);
  const [sent, applied, other] = await Promise.all([
    db.getRepository(OutboxMessage).find({
      select: { id: true, messageId: true, messageKey: true, recipient: true, messageType: true, officerId: true, createdAt: true, sentAt: true },
      // Notifications (status events for subscribers) are broadcasts, not handoffs between agencies.
      where: { messageKey: where, recipient: Not('notifications') },
    }),
    db.getRepository(InboxMessage).find({ where: { correlationId: where } }),
    db.getRepository(HandoffLogEntry).find({ where: { correlationId: where } }),
  ]);
  const entries: (Entry & { order: number })[] = [];
  for (const row of sent) {
    const base = {
      messageId: row.messageId, correlationId: row.messageKey, recordedBy: member, direction: HandoffDirection.SENT, sender: member,
      recipient: row.recipient, messageType: row.messageType, officerId: row.officerId, reason: null,
    };
    entries.push({ ...base, id: `queued-${row.id}`, outcome: HandoffOutcome.QUEUED, at: row.createdAt, order: 0 });
    if (row.sentAt) entries.push({ ...base, id: `published-${row.id}`, outcome: HandoffOutcome.PUBLISHED, at: row.sentAt, order: 1 });
  }
  for (const row of applied) {
    entries.push({
      id: `applied-${row.messageId}`, messageId: row.messageId, correlationId: row.correlationId, recordedBy: member, direction: HandoffDirection.RECEIVED,
      sender: row.sender, recipient: member, messageType: row.messageType, officerId: row.officerId, outcome: HandoffOutcome.APPLIED, reason: null,
      at: row.appliedAt, order: 2,
    });
  }
  for (const row of other) entries.push({ ...row, id: `logged-${row.id}`, order: 3 });
  entries.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
  return groupByKey(codes, entries.map(({ order: _order, ...entry }) => entry), (entry) => entry.correlationId);
}

export function handoffLogFieldName(member: string): string {
  return `${camelCase(member)}HandoffLog`;
}

/**
 * Adds `<member>HandoffLog` to the Dossier type: the message log this agency keeps for the dossier, oldest first.
 * Each agency answers for its own log, so the graph shows who sent what to whom even when one agency is down.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function handoffLogResolver(dossierType: Function, member: string): Function {
  @Resolver(() => dossierType)
  class DossierHandoffLogResolver {
    @FieldResolver(() => [HandoffLogEntry], {
      name: handoffLogFieldName(member),
      description: `Handoffs of this dossier as recorded by ${member}: queued, published, applied, ignored as duplicates, dead-lettered, replayed; oldest first`,
    })
    handoffLog(@Root() dossier: { code: string }, @Ctx() ctx: RequestContext): Promise<Entry[]> {
      return ctx.loader<string, Entry[]>('handoffLog', (codes) => handoffLogOf(ctx.db, member, codes)).load(dossier.code);
    }
  }
  Object.defineProperty(DossierHandoffLogResolver, 'name', { value: `${camelCase(member)}HandoffLogResolver` });
  return DossierHandoffLogResolver;
}
