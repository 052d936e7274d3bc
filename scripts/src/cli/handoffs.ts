import os from 'node:os';
import { transportFromEnv } from '@onestop/platform';
import { DEFINITIONS } from '../stack/definitions';
import { listDeadLetters, replayDeadLetters } from './dead-letters';

const USAGE = `npm run handoffs -- dead-letters list <agency>
npm run handoffs -- dead-letters replay <agency> (--all | --pending | <partition:offset>...)
  agency: ${Object.keys(DEFINITIONS).join(', ')}
  Uses the same configuration as the subgraphs: KAFKA_BROKERS (else the embedded bus) with KAFKA_SECURITY and its
  credentials (the agency's Kafka user), DB_URL / <AGENCY>_DB_URL / DATA_DIR.`;

async function main(argv: string[]): Promise<number> {
  const [group, command, agency, ...rest] = argv;
  const definition = agency ? DEFINITIONS[agency] : undefined;
  if (group !== 'dead-letters' || !['list', 'replay'].includes(command) || !definition) {
    console.error(USAGE);
    return 2;
  }
  // on a secured bus the operator acts as the agency's Kafka user (its ACLs cover its own inbox and dead letters)
  const transport = transportFromEnv(`${agency}-operator`, { KAFKA_USERNAME: agency, ...process.env });
  try {
    const letters = await listDeadLetters(transport, definition);
    if (command === 'list') {
      if (!letters.length) console.log(`No dead letters for ${agency}.`);
      for (const l of letters) {
        console.log(`${l.position}\t${l.deadLetteredAt}\t${l.appliedSince ? 'applied since' : 'pending'}\t${l.sender ?? '?'} → ${l.messageType ?? '?'}\t${l.correlationId ?? '?'}\t${l.messageId ?? '?'}\n\t${l.reason}`);
      }
      return 0;
    }
    const chosen = rest.includes('--all') ? letters
      : rest.includes('--pending') ? letters.filter((l) => !l.appliedSince)
      : letters.filter((l) => rest.includes(l.position));
    if (!chosen.length) {
      console.error('Nothing to replay: give --all, --pending or positions from `list`.');
      return 1;
    }
    const operator = process.env.OPERATOR_ID || `${os.userInfo().username}@${os.hostname()}`;
    const count = await replayDeadLetters(transport, definition, chosen, operator);
    console.log(`Replayed ${count} dead letter(s) to ${agency}; its inbox applies each at most once.`);
    return 0;
  } finally {
    await transport.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
