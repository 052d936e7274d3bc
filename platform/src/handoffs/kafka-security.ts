import path from 'node:path';
import type { KafkaConfig } from 'kafkajs';
import { readSecret } from '../config';
import { isProduction } from '../errors';

/**
 * How a process reaches Kafka, from its environment:
 * - KAFKA_SECURITY: `plaintext` (default outside production) or `sasl_ssl` (TLS, then SCRAM-SHA-512);
 * - KAFKA_CA_FILE: the PEM CA the brokers' certificates are checked against (default: the system's CAs);
 * - KAFKA_TLS_SERVERNAME: the name to check in the brokers' certificate, when not the host dialled;
 * - KAFKA_USERNAME (default: the process's own member name), and its password from KAFKA_PASSWORD, KAFKA_PASSWORD_FILE
 *   or KAFKA_CREDENTIALS_DIR/<username>.password (what `npm run kafka -- start --secure` writes).
 * In production plaintext is refused unless KAFKA_ALLOW_PLAINTEXT=true says so.
 */
export type KafkaSecurity = Pick<KafkaConfig, 'ssl' | 'sasl'>;

export function kafkaSecurityFromEnv(member: string, env: NodeJS.ProcessEnv = process.env): KafkaSecurity {
  const mode = (env.KAFKA_SECURITY || 'plaintext').toLowerCase();
  if (mode === 'plaintext') {
    if (isProduction(env) && env.KAFKA_ALLOW_PLAINTEXT !== 'true') {
      throw new Error('KAFKA_SECURITY=plaintext in production: set KAFKA_SECURITY=sasl_ssl with its credentials (or KAFKA_ALLOW_PLAINTEXT=true to accept an open bus)');
    }
    return {};
  }
  if (mode !== 'sasl_ssl') throw new Error(`KAFKA_SECURITY must be plaintext or sasl_ssl, got "${env.KAFKA_SECURITY}"`);
  const username = env.KAFKA_USERNAME || member;
  const password = env.KAFKA_PASSWORD || readSecret(env.KAFKA_PASSWORD_FILE, 'KAFKA_PASSWORD_FILE')
    || (env.KAFKA_CREDENTIALS_DIR ? readSecret(path.join(env.KAFKA_CREDENTIALS_DIR, `${username}.password`), 'KAFKA_CREDENTIALS_DIR') : '');
  if (!password) throw new Error(`KAFKA_SECURITY=sasl_ssl: no password for Kafka user "${username}" (KAFKA_PASSWORD, KAFKA_PASSWORD_FILE or KAFKA_CREDENTIALS_DIR)`);
  const ca = env.KAFKA_CA_FILE ? [readSecret(env.KAFKA_CA_FILE, 'KAFKA_CA_FILE')] : undefined;
  return {
    ssl: { rejectUnauthorized: true, ...(ca ? { ca } : {}), ...(env.KAFKA_TLS_SERVERNAME ? { servername: env.KAFKA_TLS_SERVERNAME } : {}) },
    sasl: { mechanism: 'scram-sha-512', username, password },
  };
}

