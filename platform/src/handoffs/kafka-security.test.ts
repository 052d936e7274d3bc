import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { test } from '@jest/globals';
import { tempDir } from '../testing';
import { kafkaSecurityFromEnv } from './kafka-security';
import { transportFromEnv } from './setup';

test('production refuses a plaintext bus unless KAFKA_ALLOW_PLAINTEXT=true says so', () => {
  assert.throws(() => kafkaSecurityFromEnv('land', { NODE_ENV: 'production' }), /KAFKA_SECURITY=plaintext in production/);
  assert.throws(() => transportFromEnv('land', { NODE_ENV: 'production', KAFKA_BROKERS: '127.0.0.1:1', KAFKA_SECURITY: 'plaintext' }), /in production/);
  assert.deepEqual(kafkaSecurityFromEnv('land', { NODE_ENV: 'production', KAFKA_ALLOW_PLAINTEXT: 'true' }), {});
  assert.deepEqual(kafkaSecurityFromEnv('land', {}), {});
});

test('sasl_ssl: the member is its own Kafka user, its password from the credentials directory, the CA from its file', () => {
  const dir = tempDir('kafka-secrets');
  fs.writeFileSync(path.join(dir, 'land.password'), 'land-secret\n');
  fs.writeFileSync(path.join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
  const env = { KAFKA_SECURITY: 'sasl_ssl', KAFKA_CREDENTIALS_DIR: dir, KAFKA_CA_FILE: path.join(dir, 'ca.pem'), KAFKA_TLS_SERVERNAME: 'localhost' };
  const security = kafkaSecurityFromEnv('land', env);
  assert.deepEqual(security.sasl, { mechanism: 'scram-sha-512', username: 'land', password: 'land-secret' });
  assert.deepEqual(security.ssl, { rejectUnauthorized: true, ca: ['-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----'], servername: 'localhost' });
  // tax has no password there: refused, naming the user, rather than connecting as someone else
  assert.throws(() => kafkaSecurityFromEnv('tax', env), /tax\.password/);
  // KAFKA_USERNAME / KAFKA_PASSWORD win
  assert.deepEqual(kafkaSecurityFromEnv('land-operator', { ...env, KAFKA_USERNAME: 'land' }).sasl, { mechanism: 'scram-sha-512', username: 'land', password: 'land-secret' });
  assert.throws(() => kafkaSecurityFromEnv('police', { KAFKA_SECURITY: 'sasl_ssl' }), /no password for Kafka user "police"/);
  assert.throws(() => kafkaSecurityFromEnv('land', { KAFKA_SECURITY: 'ssl' }), /plaintext or sasl_ssl/);
});
