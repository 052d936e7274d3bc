import path from 'node:path';
import { isProduction } from '../errors';
import { MEMBERS } from './contracts';
import { kafkaSecurityFromEnv } from './kafka-security';
import { ensureDevKeys, KeyRing } from './keys';
import { Transport } from './transport';

function dataDir(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.DATA_DIR || '.data');
}

/**
 * Kafka when KAFKA_BROKERS is set (secured by KAFKA_SECURITY and its variables: kafkaSecurityFromEnv, the Kafka user
 * being `member` unless KAFKA_USERNAME says otherwise); otherwise the embedded bus file every local process shares.
 */
export function transportFromEnv(member: string, env: NodeJS.ProcessEnv = process.env): Transport {
  const brokers = (env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  // loaded when chosen: a process on the embedded bus never loads kafkajs, nor one on Kafka better-sqlite3
  if (brokers.length) {
    const partitions = env.HANDOFF_PARTITIONS ? Number(env.HANDOFF_PARTITIONS) : undefined;
    const concurrency = env.HANDOFF_CONSUMER_CONCURRENCY ? Number(env.HANDOFF_CONSUMER_CONCURRENCY) : undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KafkaTransport } = require('./kafka-transport') as typeof import('./kafka-transport');
    const replicationFactor = env.HANDOFF_REPLICATION_FACTOR ? Number(env.HANDOFF_REPLICATION_FACTOR) : undefined;
    if (replicationFactor !== undefined && !(Number.isInteger(replicationFactor) && replicationFactor >= 1)) {
      throw new Error(`HANDOFF_REPLICATION_FACTOR must be a whole number of at least 1, got "${env.HANDOFF_REPLICATION_FACTOR}"`);
    }
    const days = env.HANDOFF_DEAD_LETTER_RETENTION_DAYS;
    if (days && !(Number(days) > 0)) throw new Error(`HANDOFF_DEAD_LETTER_RETENTION_DAYS must be a positive number of days, got "${days}"`);
    const deadLetterRetentionMs = days ? Math.round(Number(days) * 86_400_000) : -1;
    const consumerStallMs = env.HANDOFF_CONSUMER_STALL_MS ? Number(env.HANDOFF_CONSUMER_STALL_MS) : undefined;
    if (consumerStallMs !== undefined && !(consumerStallMs >= 1000)) throw new Error(`HANDOFF_CONSUMER_STALL_MS must be at least 1000, got "${env.HANDOFF_CONSUMER_STALL_MS}"`);
    const security = kafkaSecurityFromEnv(member, env);
    return new KafkaTransport({ brokers, clientId: `onestop-${member}`, partitions, concurrency, replicationFactor, deadLetterRetentionMs, consumerStallMs, security });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EmbeddedTransport } = require('./embedded-transport') as typeof import('./embedded-transport');
  return new EmbeddedTransport(env.HANDOFF_BUS_FILE || path.join(dataDir(env), 'handoff-bus.sqlite'));
}

/**
 * The member's signing key and the keys it trusts: HANDOFF_PRIVATE_KEY_FILE (its own key alone) and
 * HANDOFF_PUBLIC_KEYS_DIR (`<agency>.pub.pem` it trusts) when set, each defaulting to HANDOFF_KEYS_DIR's; with
 * neither set and outside production, a dev key set is generated in HANDOFF_KEYS_DIR on first run.
 */
export function keysFromEnv(member: string, env: NodeJS.ProcessEnv = process.env): KeyRing {
  if (env.HANDOFF_PRIVATE_KEY_FILE || env.HANDOFF_PUBLIC_KEYS_DIR) {
    const keysDir = env.HANDOFF_KEYS_DIR ? path.resolve(env.HANDOFF_KEYS_DIR) : undefined;
    const privateKeyFile = env.HANDOFF_PRIVATE_KEY_FILE ? path.resolve(env.HANDOFF_PRIVATE_KEY_FILE) : keysDir && path.join(keysDir, `${member}.key.pem`);
    const publicDir = env.HANDOFF_PUBLIC_KEYS_DIR ? path.resolve(env.HANDOFF_PUBLIC_KEYS_DIR) : keysDir;
    if (!privateKeyFile || !publicDir) throw new Error('HANDOFF_PRIVATE_KEY_FILE and HANDOFF_PUBLIC_KEYS_DIR go together (or with HANDOFF_KEYS_DIR)');
    return KeyRing.fromFiles(member, privateKeyFile, publicDir);
  }
  const dir = path.resolve(env.HANDOFF_KEYS_DIR || path.join(dataDir(env), 'keys'));
  if (!isProduction(env)) ensureDevKeys(dir, MEMBERS);
  return KeyRing.fromDirectory(member, dir);
}

export function describeTransport(transport: Transport, env: NodeJS.ProcessEnv = process.env): string {
  return transport.kind === 'kafka' ? `kafka${env.KAFKA_SECURITY === 'sasl_ssl' ? '+sasl_ssl' : ''}://${env.KAFKA_BROKERS}` : `embedded:${env.HANDOFF_BUS_FILE || path.join(dataDir(env), 'handoff-bus.sqlite')}`;
}

/**
 * Fault injection for crash tests: `HANDOFF_FAULT=exit-after-commit:<message type>` kills the process right after the
 * inbox transaction of such a message committed and before the bus offset is committed. Ignored in production.
 */
export function faultFromEnv(env: NodeJS.ProcessEnv = process.env): ((applied: { messageType: string; messageId: string }[]) => void) | undefined {
  const match = /^exit-after-commit:(.+)$/.exec(env.HANDOFF_FAULT ?? '');
  if (!match || isProduction(env)) return undefined;
  return (applied) => {
    const hit = applied.find((envelope) => envelope.messageType === match[1]);
    if (!hit) return;
    console.error(JSON.stringify({ level: 'warn', msg: 'HANDOFF_FAULT: exiting after commit, before the offset commit', messageId: hit.messageId }));
    process.exit(137);
  };
}
