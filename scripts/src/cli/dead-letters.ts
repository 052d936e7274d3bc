import {
  databaseConfig, deadLetterTopicFor, entitiesOf, HandoffDirection, HandoffLogEntry, HandoffOutcome, IncomingMessage, InboxMessage,
  migrationsOf, openDatabase, parseEnvelope, SubgraphDefinition, Transport,
} from '@onestop/platform';

export interface DeadLetter {
  /** `<partition>:<offset>` on the dead-letter topic. */
  position: string;
  reason: string;
  originalTopic: string;
  deadLetteredAt: string;
  messageId: string | null;
  messageType: string | null;
  sender: string | null;
  correlationId: string | null;
  /** Applied by the member since (after a replay or a redelivery). */
  appliedSince: boolean;
  message: IncomingMessage;
}

/** Dead letters of one member, oldest first, each marked with whether its message has been applied since. */
export async function listDeadLetters(transport: Transport, definition: SubgraphDefinition, env: NodeJS.ProcessEnv = process.env): Promise<DeadLetter[]> {
  const messages = await transport.readAll(deadLetterTopicFor(definition.name));
  const letters = messages.map((message) => {
    const parsed = parseEnvelope(message.value);
    const envelope = parsed.ok ? parsed.envelope : null;
    return {
      position: `${message.partition}:${message.offset}`,
      reason: message.headers['x-dead-letter-reason'] ?? 'unknown',
      originalTopic: message.headers['x-original-topic'] ?? '',
      deadLetteredAt: message.headers['x-dead-lettered-at'] ?? '',
      messageId: envelope?.messageId ?? null,
      messageType: envelope?.messageType ?? null,
      sender: envelope?.sender ?? null,
      correlationId: envelope?.correlationId ?? null,
      appliedSince: false,
      message,
    };
  });
  const ids = letters.map((l) => l.messageId).filter((id): id is string => Boolean(id));
  if (ids.length) {
    const database = await openDatabase({ config: databaseConfig(definition.name, env), entities: entitiesOf(definition), migrations: migrationsOf(definition) });
    try {
      const applied = new Set((await database.dataSource.getRepository(InboxMessage).createQueryBuilder('inbox')
        .select('inbox.messageId', 'messageId').where('inbox.messageId IN (:...ids)', { ids }).getRawMany<{ messageId: string }>()).map((r) => r.messageId));
      for (const letter of letters) letter.appliedSince = Boolean(letter.messageId && applied.has(letter.messageId));
    } finally {
      await database.dataSource.destroy();
    }
  }
  return letters;
}

/**
 * Publishes dead letters again, unchanged, to the topic they came from; the member verifies them as any message and its
 * inbox applies each at most once. Every replay is recorded in the member's message log.
 */
export async function replayDeadLetters(
  transport: Transport, definition: SubgraphDefinition, letters: DeadLetter[], operator: string, env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (!letters.length) return 0;
  await transport.publish(letters.map((letter) => ({
    topic: letter.originalTopic,
    key: letter.message.key ?? letter.correlationId ?? 'unknown',
    value: letter.message.value?.toString() ?? '',
    headers: {
      ...Object.fromEntries(Object.entries(letter.message.headers).filter(([name]) => !name.startsWith('x-dead-letter') && !name.startsWith('x-original'))),
      'x-replayed-from': `${deadLetterTopicFor(definition.name)}@${letter.position}`,
      'x-replayed-by': operator,
    },
  })));
  const database = await openDatabase({ config: databaseConfig(definition.name, env), entities: entitiesOf(definition), migrations: migrationsOf(definition) });
  try {
    await database.dataSource.getRepository(HandoffLogEntry).insert(letters.filter((l) => l.messageId).map((letter) => ({
      messageId: letter.messageId!, correlationId: (letter.correlationId ?? '').slice(0, 60), recordedBy: definition.name,
      direction: HandoffDirection.RECEIVED, sender: (letter.sender ?? '').slice(0, 40), recipient: definition.name,
      messageType: (letter.messageType ?? '').slice(0, 80), officerId: operator.slice(0, 64), outcome: HandoffOutcome.REPLAYED,
      reason: `replayed from ${letter.position} (dead-lettered: ${letter.reason})`.slice(0, 500), at: new Date(),
    })));
  } finally {
    await database.dataSource.destroy();
  }
  return letters.length;
}
