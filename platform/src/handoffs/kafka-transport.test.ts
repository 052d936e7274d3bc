import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { ConfigResourceTypes, ISocketFactory, Kafka, logLevel } from 'kafkajs';
import { kafkaTestSecurity, runId, service, testWith } from '../testing';
import { groupPartition, KafkaTransport, topicSettings } from './kafka-transport';
import { deadLetterTopicFor, topicFor } from './contracts';

test('topic settings: min.insync.replicas one less than the copies (at least 1); dead letters kept for ever unless told', () => {
  assert.deepEqual(topicSettings('p.handoff.land', 3), { replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] });
  assert.deepEqual(topicSettings('p.handoff.land', 1).configEntries, [{ name: 'min.insync.replicas', value: '1' }]);
  assert.deepEqual(topicSettings('p.handoff.land.dead-letter', 2).configEntries, [
    { name: 'min.insync.replicas', value: '1' }, { name: 'retention.ms', value: '-1' }, { name: 'retention.bytes', value: '-1' },
  ]);
  assert.equal(topicSettings('p.handoff.tax.dead-letter', 3, 30 * 86_400_000).configEntries[1].value, '2592000000');
});

test("a group's partition of __consumer_offsets is Kafka's: abs(Java hashCode) modulo the partitions", () => {
  // values from java.lang.String#hashCode (JDK 17); the last hashes to Integer.MIN_VALUE, which Kafka's Utils.abs maps to 0
  assert.equal(groupPartition('onestop-civil-status', 50), 17); // hashCode -499387567
  assert.equal(groupPartition('onestop-single-window', 50), 44); // 93605744
  assert.equal(groupPartition('Đ-hồ sơ', 50), 46); // -1792661146 (UTF-16 code units)
  assert.equal(groupPartition('polygenelubricants', 50), 0); // -2147483648
});

testWith(['kafka'], 'topics are created replicated over the cluster (min(3, brokers) copies), with min.insync.replicas and dead-letter retention', async () => {
  const brokers = service('kafka')!.split(',');
  const prefix = `rf${runId()}`;
  const topics = [topicFor('land', prefix), deadLetterTopicFor('land', prefix)];
  const security = kafkaTestSecurity();
  const transport = new KafkaTransport({ brokers, clientId: 'onestop-test-topics', partitions: 2, security });
  const admin = new Kafka({ clientId: 'onestop-test-topics-check', brokers, logLevel: logLevel.NOTHING, ...security }).admin();
  await admin.connect();
  try {
    await transport.ensureTopics(topics);
    const cluster = await admin.describeCluster();
    const clusterSize = cluster.brokers.length;
    const coordinator = await transport.groupCoordinator(`onestop-land-${prefix}`);
    assert.ok(cluster.brokers.some((b) => b.nodeId === coordinator), `coordinator ${coordinator} is a broker of the cluster`);
    const copies = Math.min(3, clusterSize);
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    for (const topic of metadata) {
      assert.equal(topic.partitions.length, 2);
      for (const partition of topic.partitions) assert.equal(partition.replicas.length, copies, `${topic.name} partition ${partition.partitionId}`);
    }
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['min.insync.replicas', 'retention.ms'] })),
    });
    const config = (topic: string, name: string) => resources.find((r) => r.resourceName === topic)!.configEntries.find((e) => e.configName === name)!.configValue;
    for (const topic of topics) assert.equal(config(topic, 'min.insync.replicas'), String(Math.max(1, copies - 1)), topic);
    assert.equal(config(deadLetterTopicFor('land', prefix), 'retention.ms'), '-1', 'dead letters are the only copy: kept');
  } finally {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await transport.close();
  }
});

/**
 * A socket factory that, once armed, lets the broker receive the next Produce request (API key 0) but loses its
 * response with the connection: what a network fault after the broker wrote looks like to the producer.
 */
function losingFirstProduceResponse(): { factory: ISocketFactory; arm: () => void; lost: () => number } {
  let armed = false;
  let lost = 0;
  const factory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
    // (over TLS the frames are read and written in clear on the TLS socket, as kafkajs's own factory makes it)
    const socket = ssl ? tls.connect({ host, port, ...ssl }, onConnect) : net.connect({ host, port }, onConnect);
    let target: number | undefined;
    let pending = Buffer.alloc(0);
    const write = socket.write.bind(socket) as (chunk: Buffer, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: Buffer, ...rest: unknown[]) => {
      // request: size (4), api key (2), api version (2), correlation id (4)
      if (armed && Buffer.isBuffer(chunk) && chunk.length >= 12 && chunk.readInt16BE(4) === 0) {
        armed = false;
        target = chunk.readInt32BE(8);
      }
      return write(chunk, ...rest);
    }) as typeof socket.write;
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event !== 'data') return emit(event, ...args);
      pending = Buffer.concat([pending, args[0] as Buffer]);
      // response: size (4), correlation id (4); whole frames only
      while (pending.length >= 8 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(0, 4 + pending.readInt32BE(0));
        pending = pending.subarray(frame.length);
        if (target !== undefined && frame.readInt32BE(4) === target) {
          target = undefined;
          lost++;
          socket.destroy(new Error('injected fault: produce response lost'));
          return true;
        }
        emit('data', frame);
      }
      return true;
    }) as typeof socket.emit;
    return socket;
  };
  return { factory, arm: () => void (armed = true), lost: () => lost };
}

testWith(['kafka'], 'a produce whose response was lost is retried without a duplicate on the topic (idempotent producer)', async () => {
  const brokers = service('kafka')!.split(',');
  const topic = topicFor('land', `idem${runId()}`);
  const fault = losingFirstProduceResponse();
  const security = kafkaTestSecurity();
  const transport = new KafkaTransport({ brokers, clientId: 'onestop-test-idempotent', partitions: 1, socketFactory: fault.factory, security });
  const admin = new Kafka({ clientId: 'onestop-test-idempotent-check', brokers, logLevel: logLevel.NOTHING, ...security }).admin();
  await admin.connect();
  try {
    await transport.ensureTopics([topic]);
    await transport.publish([{ topic, key: 'D1', value: 'first', headers: {} }]);
    fault.arm();
    await transport.publish([{ topic, key: 'D1', value: 'second', headers: {} }]);
    assert.equal(fault.lost(), 1, 'the fault was injected');
    const values = (await transport.readAll(topic)).map((m) => m.value?.toString());
    assert.deepEqual(values, ['first', 'second'], 'the retried batch is on the topic once');
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await transport.close();
  }
});

/**
 * A socket factory that, once armed, drops the next OffsetCommit request (API key 8) and everything written after it
 * on that connection, without closing it: to the consumer, its group coordinator has gone silent (as a killed broker
 * looks until kafkajs gives up on it, which it does not for a commit).
 */
function silencingCommitConnection(): { factory: ISocketFactory; arm: () => void; silenced: () => number; destroy: () => void } {
  let armed = false;
  let silenced = 0;
  const sockets: net.Socket[] = [];
  const factory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
    const socket = ssl ? tls.connect({ host, port, ...ssl }, onConnect) : net.connect({ host, port }, onConnect);
    sockets.push(socket);
    let silent = false;
    const write = socket.write.bind(socket) as (chunk: Buffer, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: Buffer, ...rest: unknown[]) => {
      if (armed && Buffer.isBuffer(chunk) && chunk.length >= 12 && chunk.readInt16BE(4) === 8) {
        armed = false;
        silent = true;
        silenced++;
      }
      if (silent) return true;
      return write(chunk, ...rest);
    }) as typeof socket.write;
    return socket;
  };
  return { factory, arm: () => void (armed = true), silenced: () => silenced, destroy: () => sockets.forEach((s) => s.destroy()) };
}

testWith(['kafka'], 'a consumer whose offset commit never returns is replaced within the session timeout; delivery resumes from the last commit, without a crash', async () => {
  const brokers = service('kafka')!.split(',');
  const topic = topicFor('land', `commit${runId()}`);
  const fault = silencingCommitConnection();
  const security = kafkaTestSecurity();
  const transport = new KafkaTransport({ brokers, clientId: 'onestop-test-commit', partitions: 1, socketFactory: fault.factory, security });
  const admin = new Kafka({ clientId: 'onestop-test-commit-check', brokers, logLevel: logLevel.NOTHING, ...security }).admin();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  await admin.connect();
  const seen: { value: string; at: number }[] = [];
  const waitFor = async (what: string, check: () => boolean, ms: number) => {
    const until = Date.now() + ms;
    while (!check()) {
      if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}; seen ${JSON.stringify(seen.map((s) => s.value))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const count = (value: string) => seen.filter((s) => s.value === value).length;
  let subscription: { stop(): Promise<void> } | undefined;
  try {
    await transport.ensureTopics([topic]);
    subscription = await transport.consume({
      groupId: `onestop-test-commit-${runId()}`, topics: [topic],
      handleBatch: async (messages) => {
        for (const m of messages) seen.push({ value: m.value!.toString(), at: Date.now() });
      },
    });
    await transport.publish([{ topic, key: 'D1', value: 'a', headers: {} }]);
    await waitFor('a', () => count('a') === 1, 60_000);
    fault.arm();
    const armedAt = Date.now();
    await transport.publish([{ topic, key: 'D1', value: 'b', headers: {} }]);
    await waitFor('b', () => count('b') === 1, 30_000);
    await transport.publish([{ topic, key: 'D1', value: 'c', headers: {} }]);
    // its commit never reached the group: the member that replaces the silenced one gets b again, then c
    await waitFor('b again and c', () => count('b') >= 2 && count('c') >= 1, 60_000);
    assert.equal(fault.silenced(), 1, 'the fault was injected');
    const resumedAfter = seen.find((s) => s.value === 'c')!.at - armedAt;
    // 10 s for the commit, 1 s before the new member joins, then its rebalance (the silenced member's session expires)
    assert.ok(resumedAfter < 40_000, `delivery resumed ${resumedAfter} ms after the coordinator went silent`);
    assert.equal(count('a'), 1, 'what was committed is not delivered again');
    // the abandoned commit fails late (kafkajs's 30 s request timeout, or its connection closed): no one hears it,
    // nothing crashes
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, armedAt + 35_000 - Date.now())));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await subscription?.stop();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await transport.close();
    fault.destroy(); // the silenced connection, which its abandoned consumer may still hold
  }
});
