import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '@onestop/platform/testing';
import { ROOT } from '../stack/subgraphs';

// scripts/deploy/kafka-node.sh (docker-compose.yml's Kafka nodes) writes the security settings itself and refuses a
// listener that is not SASL_SSL or SSL, before formatting or starting anything. Here without Kafka: a fake bin folder
// records what would have run.

function run(map: string, extra: Record<string, string> = {}) {
  const dir = tempDir('kafka-node');
  const bin = path.join(dir, 'kafka', 'bin');
  fs.mkdirSync(bin, { recursive: true });
  for (const tool of ['kafka-storage.sh', 'kafka-server-start.sh']) {
    fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${dir}/ran"\n`, { mode: 0o755 });
  }
  fs.mkdirSync(path.join(dir, 'secrets'));
  fs.writeFileSync(path.join(dir, 'secrets', 'kafka-admin-password'), 'admin-secret\n');
  const result = spawnSync('bash', [path.join(ROOT, 'scripts/deploy/kafka-node.sh')], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH, KAFKA_HOME: path.join(dir, 'kafka'), SECRETS_DIR: path.join(dir, 'secrets'), KAFKA_DATA_DIR: path.join(dir, 'data'),
      KAFKA_CONF_DIR: path.join(dir, 'conf'), KAFKA_CLUSTER_ID: 'x81J-262SD60Ajnx6uvhSg', KAFKA_CFG_NODE_ID: '1',
      KAFKA_CFG_LISTENER_SECURITY_PROTOCOL_MAP: map, ...extra,
    },
  });
  const read = (file: string) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), 'utf8') : '');
  const out = { status: result.status, output: result.stdout + result.stderr, ran: read('ran'), properties: read('conf/server.properties') };
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

test('kafka-node.sh: SASL_SSL clients, SSL controllers, ACLs on; the security settings cannot be overridden', () => {
  const ok = run('SASL_SSL:SASL_SSL,CONTROLLER:SSL', { KAFKA_CFG_ALLOW_EVERYONE_IF_NO_ACL_FOUND: 'true', KAFKA_CFG_SSL_KEYSTORE_LOCATION: '/tmp/mine' });
  assert.equal(ok.status, 0, ok.output);
  assert.match(ok.ran, /^kafka-storage.sh format .*--add-scram SCRAM-SHA-512=\[name=admin,password=admin-secret\]/m);
  assert.match(ok.ran, /^kafka-server-start.sh /m);
  assert.match(ok.properties, /^node\.id=1$/m);
  // java.util.Properties keeps the last value of a key: the script's come last
  const last = (key: string) => [...ok.properties.matchAll(new RegExp(`^${key.replace(/\./g, '\\.')}=(.*)$`, 'gm'))].pop()?.[1];
  assert.equal(last('allow.everyone.if.no.acl.found'), 'false');
  assert.match(last('ssl.keystore.location') ?? '', /secrets\/kafka-broker-keystore$/);
  assert.equal(last('listener.name.controller.ssl.client.auth'), 'required');
  assert.equal(last('authorizer.class.name'), 'org.apache.kafka.metadata.authorizer.StandardAuthorizer');
});

test('kafka-node.sh refuses to start with a PLAINTEXT or SASL_PLAINTEXT listener, or no listener map', () => {
  for (const map of ['SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT', 'PLAINTEXT:PLAINTEXT,CONTROLLER:SSL', 'SASL_SSL:SASL_SSL,CONTROLLER:SSL,INTERNAL:SASL_PLAINTEXT']) {
    const refused = run(map);
    assert.equal(refused.status, 2, map);
    assert.match(refused.output, /refusing to start: listener protocol (SASL_)?PLAINTEXT/);
    assert.equal(refused.ran, '', 'nothing formatted or started');
  }
  const none = run('');
  assert.equal(none.status, 2);
  assert.match(none.output, /KAFKA_CFG_LISTENER_SECURITY_PROTOCOL_MAP is required/);
});
