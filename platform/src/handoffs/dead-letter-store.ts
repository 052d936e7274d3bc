import { DataSource } from 'typeorm';
import { DeadLetterRecord, DeadLetterStatus, HandoffDirection, HandoffLogEntry, HandoffOutcome } from './entities';

export interface DeadLetterKey {
  sender: string;
  messageId: string;
}

/** The status of each verified dead letter (OPEN holds its dossier), keyed `sender|messageId`. */
export async function deadLetterStatuses(db: DataSource, keys: DeadLetterKey[]): Promise<Map<string, DeadLetterRecord>> {
  const ids = [...new Set(keys.map((k) => k.messageId))];
  if (!ids.length) return new Map();
  const rows = await db.getRepository(DeadLetterRecord).createQueryBuilder('d').where('d.messageId IN (:...ids)', { ids }).getMany();
  return new Map(rows.map((row) => [`${row.sender}|${row.messageId}`, row]));
}

/**
 * Marks an open dead letter as handled without applying it: who and why are recorded, on the dead letter and in the
 * dossier's message log, and the messages held behind it are released by the member's node. Never replayed after.
 */
export async function discardDeadLetter(db: DataSource, member: string, key: DeadLetterKey, operator: string, reason: string): Promise<DeadLetterRecord> {
  if (!reason.trim()) throw new Error('a discard needs a reason');
  return db.transaction(async (manager) => {
    const row = await manager.findOne(DeadLetterRecord, { where: { sender: key.sender, messageId: key.messageId } });
    if (!row) throw new Error(`no dead letter of ${key.sender} ${key.messageId} is recorded by ${member}: only verified messages that failed to apply are discarded`);
    if (row.status !== DeadLetterStatus.OPEN) throw new Error(`the dead letter of ${key.sender} ${key.messageId} is already ${row.status}`);
    const now = new Date();
    await manager.update(DeadLetterRecord, { id: row.id, status: DeadLetterStatus.OPEN }, {
      status: DeadLetterStatus.DISCARDED, resolvedAt: now, resolvedBy: operator.slice(0, 64), resolution: reason.slice(0, 500),
    });
    await manager.insert(HandoffLogEntry, {
      messageId: row.messageId, correlationId: row.correlationId, recordedBy: member, direction: HandoffDirection.RECEIVED, sender: row.sender,
      recipient: member, messageType: row.messageType, officerId: operator.slice(0, 64), outcome: HandoffOutcome.DISCARDED,
      reason: `discarded by ${operator}: ${reason}`.slice(0, 500), at: now,
    });
    return { ...row, status: DeadLetterStatus.DISCARDED, resolvedAt: now, resolvedBy: operator, resolution: reason };
  });
}
