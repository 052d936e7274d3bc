import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from '@jest/globals';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { deadLetterTopicFor, kafkaSecurityFromEnv, topicFor, transportFromEnv, Transport } from '@onestop/platform';
import { describeWith, runId, service } from '@onestop/platform/testing';
import { applyAcls } from '../cli/kafka-acls';
import { kcatConsumeArgs } from '../contracts/handoff-readme';
import { execFile } from 'node:child_process';
import os from 'node:os';

// The secured cluster (`npm run kafka -- start --secure`): every agency is its own SCRAM user and the brokers enforce
// the ACLs `npm run kafka:acls` derives from the contracts. Each test is a caller the brokers must refuse, or the one they let in.

describeWith(['kafkaSecure'], 'secured Kafka: SASL_SSL, one user per agency, ACLs from the contracts', () => {
  const brokers = (service('kafkaSecure') ?? '').split(',');
  const secrets = process.env.TEST_KAFKA_SECURE_SECRETS!;
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    KAFKA_BROKERS: brokers.join(','), KAFKA_SECURITY: 'sasl_ssl', KAFKA_CA_FILE: path.join(secrets, 'ca.pem'),
    KAFKA_TLS_SERVERNAME: 'localhost', KAFKA_CREDENTIALS_DIR: secrets, ...extra,
  });
  const id = runId();
  const client = (user: string, extra: Partial<KafkaConfig> = {}) => new Kafka({
    clientId: `onestop-${user}`, brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3000, retry: { retries: 1 },
    ...kafkaSecurityFromEnv(user, env()), ...extra,
  });
  const transports: Transport[] = [];

  beforeAll(async () => {
    await applyAcls(env(), () => undefined);
  });

  afterAll(async () => {
    for (const transport of transports) await transport.close();
  });

  test('kafka:acls is idempotent: a second run creates and removes nothing', async () => {
    // ACLs reach every broker of a cluster through the metadata log: another broker may answer before it caught up
    let again = await applyAcls(env(), () => undefined);
    for (let attempt = 0; attempt < 20 && (again.created || again.deleted); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      again = await applyAcls(env(), () => undefined);
    }
    assert.deepEqual(again, { created: 0, deleted: 0 });
  });

  test('land may write to tax\'s inbox (land.cadastral-information), through the services\' own transport', async () => {
    const land = transportFromEnv('land', env());
    transports.push(land);
    await land.ensureTopics([topicFor('tax')]);
    await land.publish([{ topic: topicFor('tax'), key: `SEC-${id}`, value: JSON.stringify({ probe: id }), headers: {} }]);
    // and tax reads it on its own topic, in a group of its own
    const tax = transportFromEnv('tax', env());
    transports.push(tax);
    const seen = await new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('tax did not receive land\'s message in 30 s')), 30_000);
      void tax.consume({
        groupId: `onestop-tax-secure-test-${id}`, topics: [topicFor('tax')],
        handleBatch: async (messages) => {
          const keys = messages.map((m) => m.key ?? '');
          if (keys.includes(`SEC-${id}`)) {
            clearTimeout(timer);
            resolve(keys);
          }
        },
      }).catch(reject);
    });
    assert.ok(seen.includes(`SEC-${id}`));
  });

  test('land may not write to police\'s inbox: no contract lets land send anything to police', async () => {
    const producer = client('land').producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await assert.rejects(
        producer.send({ topic: topicFor('police'), acks: -1, messages: [{ key: `SEC-${id}`, value: 'forged' }] }),
        (error: Error) => /TOPIC_AUTHORIZATION_FAILED|not authorized/i.test(JSON.stringify(error, Object.getOwnPropertyNames(error)) + String(error)),
      );
      // nor to another agency's dead letters
      await assert.rejects(producer.send({ topic: deadLetterTopicFor('tax'), acks: -1, messages: [{ key: 'x', value: 'x' }] }), /authoriz/i);
    } finally {
      await producer.disconnect();
    }
  });

  test('land cannot read tax\'s topic, even with a group named after itself: its consumer crashes with TOPIC_AUTHORIZATION_FAILED', async () => {
    const consumer = client('land').consumer({ groupId: `onestop-land-secure-test-${id}`, retry: { retries: 0 } });
    const crashed = new Promise<string>((resolve) => consumer.on(consumer.events.CRASH, (event) => resolve(String(event.payload.error))));
    let received = 0;
    try {
      await consumer.connect();
      const started = consumer.subscribe({ topics: [topicFor('tax')], fromBeginning: true })
        .then(() => consumer.run({ eachMessage: async () => { received++; } }))
        .then(() => new Promise<string>(() => undefined), (error: Error) => String(error));
      const why = await Promise.race([crashed, started, new Promise<string>((resolve) => setTimeout(() => resolve('no refusal in 20 s'), 20_000))]);
      assert.match(why, /authoriz/i);
      assert.equal(received, 0);
    } finally {
      await consumer.disconnect();
    }
  });

  test('land cannot use tax\'s consumer group (while a group named after land joins on the same topic)', async () => {
    const join = async (groupId: string): Promise<string> => {
      const consumer = client('land').consumer({ groupId, retry: { retries: 0 } });
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [topicFor('land')], fromBeginning: true });
        const joined = new Promise<string>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve('joined')));
        const crashed = new Promise<string>((resolve) => consumer.on(consumer.events.CRASH, (event) => resolve(String(event.payload.error))));
        const run = consumer.run({ eachMessage: async () => undefined }).then(() => new Promise<string>(() => undefined), (error: Error) => String(error));
        return await Promise.race([joined, crashed, run, new Promise<string>((resolve) => setTimeout(() => resolve('nothing in 20 s'), 20_000))]);
      } finally {
        await consumer.disconnect();
      }
    };
    assert.equal(await join(`onestop-land-secure-test-${id}`), 'joined');
    // FindCoordinator answers GROUP_AUTHORIZATION_FAILED; kafkajs reports it as a coordinator it cannot find
    assert.match(await join(`onestop-tax-stolen-${id}`), /GROUP_AUTHORIZATION_FAILED|authoriz|group coordinator/i);
  });

  test('a wrong password is refused', async () => {
    const admin = client('land', { sasl: { mechanism: 'scram-sha-512', username: 'land', password: fs.readFileSync(path.join(secrets, 'tax.password'), 'utf8').trim() } }).admin();
    await assert.rejects(admin.connect(), /SASL|authentication/i);
    await admin.disconnect().catch(() => undefined);
  });

  test('nothing answers PLAINTEXT on the broker ports, nor TLS without the brokers\' certificate on the controller ports', async () => {
    for (const broker of brokers) {
      const admin = new Kafka({ clientId: 'onestop-plaintext-probe', brokers: [broker], logLevel: logLevel.NOTHING, connectionTimeout: 2000, requestTimeout: 3000, retry: { retries: 0 } }).admin();
      await assert.rejects(admin.connect());
      await admin.disconnect().catch(() => undefined);
      // run.sh puts each node's controller one port above its broker
      const [host, port] = broker.split(':');
      const controller = `${host}:${Number(port) + 1}`;
      for (const extra of [{}, kafkaSecurityFromEnv('admin', env())]) {
        const probe = new Kafka({ clientId: 'onestop-controller-probe', brokers: [controller], logLevel: logLevel.NOTHING, connectionTimeout: 2000, requestTimeout: 3000, retry: { retries: 0 }, ...extra }).admin();
        await assert.rejects(probe.connect());
        await probe.disconnect().catch(() => undefined);
      }
    }
  });

  const kcat = service('kcat');
  (kcat ? test : test.skip)(`the guide's kcat consumer, as police over SASL_SSL: its own topic from the earliest offset, and not another's${kcat ? '' : ' [NOT RUN: needs kcat (TEST_KCAT)]'}`, async () => {
    // civil status sends police a record (a contract allows it); police reads it back with the guide's very command
    const civilStatus = transportFromEnv('civil-status', env());
    transports.push(civilStatus);
    const key = `KCAT-${id}`;
    await civilStatus.publish([{ topic: topicFor('police'), key, value: JSON.stringify({ probe: id }), headers: {} }]);
    // police.kcat.conf as the guide writes it (the password in a file only its owner reads)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-kcat-'));
    const config = path.join(dir, 'police.kcat.conf');
    fs.writeFileSync(config, [
      `bootstrap.servers=${brokers.join(',')}`, 'security.protocol=SASL_SSL', 'sasl.mechanisms=SCRAM-SHA-512', 'sasl.username=police',
      `sasl.password=${fs.readFileSync(path.join(secrets, 'police.password'), 'utf8').trim()}`, `ssl.ca.location=${path.join(secrets, 'ca.pem')}`, '',
    ].join('\n'), { mode: 0o600 });
    const run = (args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(kcat!, args, { timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });
    try {
      const admin = client('admin').admin();
      await admin.connect();
      const partitions = (await admin.fetchTopicMetadata({ topics: [topicFor('police')] })).topics[0].partitions.map((p) => p.partitionId);
      await admin.disconnect();
      const lines: string[] = [];
      for (const partition of partitions) {
        const read = await run(kcatConsumeArgs(config, topicFor('police'), partition));
        assert.equal(read.code, 0, read.stderr);
        lines.push(...read.stdout.split('\n').filter(Boolean));
      }
      const mine = lines.map((line) => line.split('\t')).filter(([, , k]) => k === key);
      assert.equal(mine.length, 1, `one record with key ${key} in ${lines.length} lines`);
      const [partition, offset, , value] = mine[0];
      assert.deepEqual(JSON.parse(value), { probe: id });
      // the next read starts at the recorded next offset (offset + 1): nothing of that partition is read twice
      const next = await run(kcatConsumeArgs(config, topicFor('police'), Number(partition), String(Number(offset) + 1)));
      assert.equal(next.code, 0, next.stderr);
      assert.ok(!next.stdout.includes(key), 'a read from the next offset does not see the applied record again');
      // police may not read civil status's topic
      const refused = await run(kcatConsumeArgs(config, topicFor('civil-status'), 0));
      assert.notEqual(refused.code, 0, 'reading another agency\'s topic fails');
      assert.match(refused.stderr, /authoriz/i);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an operator reads its own agency\'s dead letters as that agency (the reader group is named after it)', async () => {
    const operator = transportFromEnv('land-operator', env({ KAFKA_USERNAME: 'land' }));
    transports.push(operator);
    assert.ok(Array.isArray(await operator.readAll(deadLetterTopicFor('land'))));
    // and not tax's
    await assert.rejects(operator.readAll(deadLetterTopicFor('tax')), /authoriz/i);
  });
});
