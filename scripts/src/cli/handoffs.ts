import os from 'node:os';
import { transportFromEnv } from '@onestop/platform';
import { DEFINITIONS } from '../stack/definitions';
import { discardLetter, listDeadLetters, replayChecked } from './dead-letters';

const USAGE = `npm run handoffs -- dead-letters list <agency>
npm run handoffs -- dead-letters replay <agency> (--all | --pending | <partition:offset>...)
npm run handoffs -- dead-letters discard <agency> <partition:offset> --reason "why"
  agency: ${Object.keys(DEFINITIONS).join(', ')}
  replay never resends a discarded letter, nor a refused one that still fails verification (a forgery).
  discard marks a verified dead letter as handled (recorded with OPERATOR_ID and the reason) and releases the
  dossier's messages held behind it.
  Uses the same configuration as the subgraphs: KAFKA_BROKERS (else the embedded bus) with KAFKA_SECURITY and its
  credentials (the agency's Kafka user), DB_URL / <AGENCY>_DB_URL / DATA_DIR.`;

function state(letter: Awaited<ReturnType<typeof listDeadLetters>>[number]): string {
  if (letter.appliedSince) return 'applied since';
  if (letter.record?.status === 'DISCARDED') return `discarded by ${letter.record.resolvedBy}`;
  if (letter.record?.status === 'OPEN') return 'pending (holds its dossier)';
  return letter.kind === 'refused' ? 'refused' : 'pending';
}

async function main(argv: string[]): Promise<number> {
  const [group, command, agency, ...rest] = argv;
  const definition = agency ? DEFINITIONS[agency] : undefined;
  if (group !== 'dead-letters' || !['list', 'replay', 'discard'].includes(command) || !definition) {
    console.error(USAGE);
    return 2;
  }
  const operator = process.env.OPERATOR_ID || `${os.userInfo().username}@${os.hostname()}`;
  // on a secured bus the operator acts as the agency's Kafka user (its ACLs cover its own inbox and dead letters)
  const transport = transportFromEnv(`${agency}-operator`, { KAFKA_USERNAME: agency, ...process.env });
  try {
    const letters = await listDeadLetters(transport, definition);
    if (command === 'list') {
      if (!letters.length) console.log(`No dead letters for ${agency}.`);
      for (const l of letters) {
        console.log(`${l.position}\t${l.deadLetteredAt}\t${state(l)}\t${l.sender ?? '?'} → ${l.messageType ?? '?'}\t${l.correlationId ?? '?'}\t${l.messageId ?? '?'}\n\t${l.reason}`);
      }
      return 0;
    }
    if (command === 'discard') {
      const reasonAt = rest.indexOf('--reason');
      const reason = reasonAt >= 0 ? rest[reasonAt + 1] ?? '' : '';
      const positions = rest.filter((arg, i) => !arg.startsWith('--') && i !== reasonAt + 1);
      if (positions.length !== 1 || !reason.trim()) {
        console.error('Give one <partition:offset> from `list` and --reason "why".');
        return 2;
      }
      const letter = letters.find((l) => l.position === positions[0]);
      if (!letter) {
        console.error(`No dead letter at ${positions[0]} for ${agency}.`);
        return 1;
      }
      await discardLetter(definition, letter, operator, reason);
      console.log(`Discarded ${letter.position} (${letter.messageType} ${letter.messageId}) as ${operator}; messages of dossier ${letter.correlationId} held behind it are released.`);
      return 0;
    }
    const chosen = rest.includes('--all') ? letters
      : rest.includes('--pending') ? letters.filter((l) => !l.appliedSince)
      : letters.filter((l) => rest.includes(l.position));
    if (!chosen.length) {
      console.error('Nothing to replay: give --all, --pending or positions from `list`.');
      return 1;
    }
    const { replayed, skipped } = await replayChecked(transport, definition, chosen, operator);
    for (const { letter, why } of skipped) console.error(`Not replayed ${letter.position}: ${why}`);
    console.log(`Replayed ${replayed.length} dead letter(s) to ${agency}; its inbox applies each at most once.`);
    return 0;
  } finally {
    await transport.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
