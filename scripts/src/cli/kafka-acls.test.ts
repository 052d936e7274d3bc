import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { test } from '@jest/globals';
import { AccessTable } from '@onestop/platform';
import { aclTable, KAFKA_USERS } from './kafka-acls-table';

test('run.sh makes a Kafka user for every member of the contracts and the gateway (scripts/kafka/users)', () => {
  const listed = fs.readFileSync(path.join(__dirname, '../../kafka/users'), 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));
  assert.deepEqual([...listed].sort(), ['admin', ...KAFKA_USERS].sort());
});

test('the ACLs follow the access table: a write only where a contract allows, reads only of one\'s own topics', () => {
  const rows = aclTable(AccessTable.fromContracts());
  const writes = (user: string) => rows.filter((r) => r.principal === user && r.operation === 'WRITE').map((r) => r.resource).sort();
  const reads = (user: string) => rows.filter((r) => r.principal === user && r.operation === 'READ' && r.resourceType === 'TOPIC').map((r) => r.resource).sort();
  assert.deepEqual(writes('land'), ['onestop.handoff.land', 'onestop.handoff.land.dead-letter', 'onestop.handoff.single-window', 'onestop.handoff.tax']);
  assert.deepEqual(reads('land'), ['onestop.handoff.land', 'onestop.handoff.land.dead-letter']);
  assert.deepEqual(writes('gateway'), []);
  assert.deepEqual(reads('gateway'), ['onestop.notification.dossier-status', 'onestop.notification.procedure-catalogue']);
  assert.ok(!rows.some((r) => r.resourceType === 'GROUP' && r.pattern !== 'PREFIXED'));
  // a revoked rule takes its ACL with it, once no other rule needs it: land writes to tax's inbox for the cadastral
  // information, and to refuse what tax sends it (handoff.refused goes back the way messages came)
  const revoked = AccessTable.fromContracts();
  revoked.revoke({ sender: 'land', messageType: 'land.cadastral-information', recipient: 'tax' });
  assert.ok(aclTable(revoked).some((r) => r.principal === 'land' && r.resource === 'onestop.handoff.tax'), 'still needed for refusals');
  revoked.revoke({ sender: 'land', messageType: 'handoff.refused', recipient: 'tax' });
  assert.ok(!aclTable(revoked).some((r) => r.principal === 'land' && r.resource === 'onestop.handoff.tax'));
});
