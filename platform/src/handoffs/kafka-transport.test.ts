import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { runId, service, testWith } from '../testing';
import { KafkaTransport, topicSettings } from './kafka-transport';
import { deadLetterTopicFor, topicFor } from './contracts';

test('topic settings: min.insync.replicas one less than the copies (at least 1); dead letters kept for ever unless told', () => {
  assert.deepEqual(topicSettings('p.handoff.land', 3), { replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] });
  assert.deepEqual(topicSettings('p.handoff.land', 1).configEntries, [{ name: 'min.insync.replicas', value: '1' }]);
  assert.deepEqual(topicSettings('p.handoff.land.dead-letter', 2).configEntries, [
    { name: 'min.insync.replicas', value: '1' }, { name: 'retention.ms', value: '-1' }, { name: 'retention.bytes', value: '-1' },
  ]);
  assert.equal(topicSettings('p.handoff.tax.dead-letter', 3, 30 * 86_400_000).configEntries[1].value, '2592000000');
});

testWith(['kafka'], 'topics are created replicated over the cluster (min(3, brokers) copies), with min.insync.replicas and dead-letter retention', async () => {
  const brokers = service('kafka')!.split(',');
  const prefix = `rf${runId()}`;
  const topics = [topicFor('land', prefix), deadLetterTopicFor('land', prefix)];
  const transport = new KafkaTransport({ brokers, clientId: 'onestop-test-topics', partitions: 2 });
  const admin = new Kafka({ clientId: 'onestop-test-topics-check', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await transport.ensureTopics(topics);
    const clusterSize = (await admin.describeCluster()).brokers.length;
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
