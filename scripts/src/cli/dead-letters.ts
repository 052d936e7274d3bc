import {
  AccessTable, databaseConfig, DeadLetterRecord, deadLetterStatuses, deadLetterTopicFor, discardDeadLetter, entitiesOf, EnvelopeVerifier, HandoffDirection,
  HandoffLogEntry, HandoffOutcome, IncomingMessage, InboxMessage, keysFromEnv, migrationsOf, openDatabase, parseEnvelope, SubgraphDefinition, Transport,
} from '@onestop/platform';

export interface DeadLetter {
  /** `<partition>:<offset>` on the dead-letter topic. */
  position: string;
  reason: string;
  /** refused (failed verification), rejected (the member's rules), failed (kept failing to apply). */
  kind: string;
  originalTopic: string;
  deadLetteredAt: string;
  messageId: string | null;
  messageType: string | null;
  sender: string | null;
  correlationId: string | null;
  /** Applied by the member since (after a replay or a redelivery). */
  appliedSince: boolean;
  /** The member's record of it (verified messages only): OPEN holds its dossier; DISCARDED is never replayed. */
  record: DeadLetterRecord | null;
  message: IncomingMessage;
}

async function withDatabase<T>(definition: SubgraphDefinition, env: NodeJS.ProcessEnv, use: (db: Awaited<ReturnType<typeof openDatabase>>['dataSource']) => Promise<T>): Promise<T> {
  const database = await openDatabase({ config: databaseConfig(definition.name, env), entities: entitiesOf(definition), migrations: migrationsOf(definition) });
  try {
    return await use(database.dataSource);
  } finally {
    await database.dataSource.destroy();
  }
}

/** Dead letters of one member, oldest first, each with whether its message has been applied since, and its record. */
export async function listDeadLetters(transport: Transport, definition: SubgraphDefinition, env: NodeJS.ProcessEnv = process.env): Promise<DeadLetter[]> {
  const messages = await transport.readAll(deadLetterTopicFor(definition.name));
  const letters: DeadLetter[] = messages.map((message) => {
    const parsed = parseEnvelope(message.value);
    const envelope = parsed.ok ? parsed.envelope : null;
    const reason = message.headers['x-dead-letter-reason'] ?? 'unknown';
    return {
      position: `${message.partition}:${message.offset}`,
      reason,
      kind: message.headers['x-dead-letter-kind'] ?? (/^(rejected|failed after)/.test(reason) ? 'failed' : 'refused'),
      originalTopic: message.headers['x-original-topic'] ?? '',
      deadLetteredAt: message.headers['x-dead-lettered-at'] ?? '',
      messageId: typeof envelope?.messageId === 'string' ? envelope.messageId : null,
      messageType: envelope?.messageType ?? null,
      sender: envelope?.sender ?? null,
      correlationId: envelope?.correlationId ?? null,
      appliedSince: false,
      record: null,
      message,
    };
  });
  const keyed = letters.filter((l) => l.messageId && l.sender);
  if (keyed.length) {
    await withDatabase(definition, env, async (db) => {
      const ids = [...new Set(keyed.map((l) => l.messageId!))];
      const applied = new Set((await db.getRepository(InboxMessage).createQueryBuilder('inbox')
        .select('inbox.messageId', 'messageId').addSelect('inbox.sender', 'sender').where('inbox.messageId IN (:...ids)', { ids })
        .getRawMany<{ messageId: string; sender: string }>()).map((r) => `${r.sender}|${r.messageId}`));
      const records = await deadLetterStatuses(db, keyed.map((l) => ({ sender: l.sender!, messageId: l.messageId! })));
      for (const letter of keyed) {
        const key = `${letter.sender}|${letter.messageId}`;
        letter.appliedSince = applied.has(key);
        letter.record = records.get(key) ?? null;
      }
    });
  }
  return letters;
}

/** Why a dead letter may not be replayed, or null when it may. */
export function replayRefusal(letter: DeadLetter, verifier: EnvelopeVerifier): string | null {
  if (letter.record?.status === 'DISCARDED') return `discarded by ${letter.record.resolvedBy}: ${letter.record.resolution}`;
  if (letter.message.headers['x-original-omitted']) return 'only its hash was kept (too large)';
  if (letter.kind === 'refused') {
    // A refused message is replayed only when it verifies now (e.g. the sender's new key was installed since).
    const verdict = verifier.verify(letter.message.value);
    if (!verdict.ok && !verdict.stale) return `still fails verification: ${verdict.reason}`;
  }
  return null;
}

/**
 * Publishes dead letters again, unchanged, to the topic they came from; the member verifies them as any message and its
 * inbox applies each at most once. Discarded letters, and refused ones that still fail verification (forgeries), are
 * never resent. Every replay is recorded in the member's message log. Returns those replayed and those skipped.
 */
export async function replayDeadLetters(
  transport: Transport, definition: SubgraphDefinition, letters: DeadLetter[], operator: string, env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return (await replayChecked(transport, definition, letters, operator, env)).replayed.length;
}

export async function replayChecked(
  transport: Transport, definition: SubgraphDefinition, letters: DeadLetter[], operator: string, env: NodeJS.ProcessEnv = process.env,
): Promise<{ replayed: DeadLetter[]; skipped: { letter: DeadLetter; why: string }[] }> {
  const verifier = new EnvelopeVerifier(keysFromEnv(definition.name, env), AccessTable.load(env.HANDOFF_ACCESS_FILE));
  const skipped: { letter: DeadLetter; why: string }[] = [];
  const replayed: DeadLetter[] = [];
  for (const letter of letters) {
    const why = replayRefusal(letter, verifier);
    if (why) skipped.push({ letter, why });
    else replayed.push(letter);
  }
  if (!replayed.length) return { replayed, skipped };
  await transport.publish(replayed.map((letter) => ({
    topic: letter.originalTopic,
    key: letter.message.key ?? letter.correlationId ?? 'unknown',
    value: letter.message.value ?? '',
    headers: {
      ...Object.fromEntries(Object.entries(letter.message.headers).filter(([name]) => !name.startsWith('x-dead-letter') && !name.startsWith('x-original'))),
      'x-replayed-from': `${deadLetterTopicFor(definition.name)}@${letter.position}`,
      'x-replayed-by': operator,
    },
  })));
  // each verified now, or verified when it was dead-lettered: it belongs in its dossier's message log
  const logged = replayed.filter((l) => l.messageId);
  if (logged.length) await withDatabase(definition, env, async (db) => {
    await db.getRepository(HandoffLogEntry).insert(logged.map((letter) => ({
      messageId: letter.messageId!, correlationId: (letter.correlationId ?? '').slice(0, 60), recordedBy: definition.name,
      direction: HandoffDirection.RECEIVED, sender: (letter.sender ?? '').slice(0, 40), recipient: definition.name,
      messageType: (letter.messageType ?? '').slice(0, 80), officerId: operator.slice(0, 64), outcome: HandoffOutcome.REPLAYED,
      reason: `replayed from ${letter.position} (dead-lettered: ${letter.reason})`.slice(0, 500), at: new Date(),
    })));
  });
  return { replayed, skipped };
}

/** Marks one verified dead letter as handled without applying it; the member then releases the dossier's held messages. */
export async function discardLetter(definition: SubgraphDefinition, letter: DeadLetter, operator: string, reason: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!letter.messageId || !letter.sender || !letter.record) {
    throw new Error(`${letter.position} failed verification (${letter.reason}): it holds no dossier and is never replayed, there is nothing to discard`);
  }
  await withDatabase(definition, env, (db) => discardDeadLetter(db, definition.name, { sender: letter.sender!, messageId: letter.messageId! }, operator, reason));
}
