import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../database';
import { EmbeddedTransport } from '../handoffs/embedded-transport';
import { Envelope, newMessageId, signEnvelope } from '../handoffs/envelope';
import { ensureDevKeys, KeyRing } from '../handoffs/keys';
import { notificationTopic } from '../handoffs/contracts';
import { NotificationDelivery, NotificationDelivery1765200000000 } from './delivery';
import { startNotifier } from './notifier';
import { HttpSender, maskContact, Notice, NotificationSender } from './sender';

const until = async (what: string, probe: () => Promise<boolean> | boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** A provider that fails the first `failures` sends of each reference, then accepts. */
class FlakySender implements NotificationSender {
  readonly name = 'flaky';
  readonly sent: Notice[] = [];
  private readonly tries = new Map<string, number>();
  constructor(private readonly failures: Record<string, number> = {}) {}
  async send(notice: Notice): Promise<void> {
    const tried = (this.tries.get(notice.reference) ?? 0) + 1;
    this.tries.set(notice.reference, tried);
    if (tried <= (this.failures[notice.reference] ?? 0)) throw new Error(`provider down (${tried})`);
    this.sent.push(notice);
  }
}

async function setup(sender: NotificationSender) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notifier-'));
  ensureDevKeys(path.join(dir, 'keys'), ['single-window', 'land']);
  const keys = KeyRing.fromDirectory('single-window', path.join(dir, 'keys'));
  const landKeys = KeyRing.fromDirectory('land', path.join(dir, 'keys'));
  const database = await openDatabase({ config: { kind: 'sqlite', file: path.join(dir, 'db.sqlite') }, entities: [NotificationDelivery], migrations: [NotificationDelivery1765200000000] });
  const transport = new EmbeddedTransport(path.join(dir, 'bus.sqlite'), 10);
  const log: Record<string, unknown>[] = [];
  const subscription = await startNotifier({
    member: 'single-window', channel: 'dossier-status', transport, dataSource: database.dataSource, keys, trustedSenders: ['single-window'], sender,
    log: (entry) => log.push(entry), attempts: 3,
    render: async (envelope) => (envelope.payload.status === 'IN_APPRAISAL' ? [] : [
      { medium: 'sms', to: '0912345678', subject: 'Hồ sơ', text: `Hồ sơ ${envelope.correlationId} ${envelope.payload.status}`, reference: envelope.correlationId },
    ]),
  });
  const envelope = (code: string, status: string, by: KeyRing = keys): Envelope => signEnvelope({
    messageId: newMessageId(), correlationId: code, sender: by.agency, recipient: 'notifications', messageType: 'dossier.status-notification',
    schemaVersion: 1, issuedAt: new Date().toISOString(), officerId: null, payload: { code, status },
  }, by.privateKey);
  const publish = (e: Envelope | string) => transport.publish([{ topic: notificationTopic('dossier-status'), key: typeof e === 'string' ? 'x' : e.correlationId, value: typeof e === 'string' ? e : JSON.stringify(e) }]);
  const deliveries = () => database.dataSource.getRepository(NotificationDelivery).find({ order: { at: 'ASC' } });
  return {
    envelope, publish, deliveries, log, landKeys,
    async close() {
      await subscription.stop();
      await transport.close();
      await database.dataSource.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('notifier: each notification sent once, also when delivered again; forged, foreign and garbage ones refused', async () => {
  const sender = new FlakySender();
  const n = await setup(sender);
  try {
    const resolved = n.envelope('D-1', 'RESOLVED');
    await n.publish(resolved);
    await n.publish(resolved); // the bus delivers it again
    await n.publish(n.envelope('D-2', 'IN_APPRAISAL')); // nobody to tell
    await n.publish({ ...n.envelope('D-3', 'RESOLVED'), payload: { code: 'D-3', status: 'STOPPED' } }); // altered after signing
    await n.publish(n.envelope('D-4', 'RESOLVED', n.landKeys)); // signed, but by a member not trusted for notices
    await n.publish('not json');
    await n.publish(n.envelope('D-5', 'RECEIVED'));
    await until('the last notice', () => sender.sent.some((s) => s.reference === 'D-5'));
    assert.deepEqual(sender.sent.map((s) => s.reference), ['D-1', 'D-5']);
    assert.deepEqual((await n.deliveries()).map((d) => [d.reference, d.medium, d.outcome]), [['D-1', 'sms', 'SENT'], ['D-2', 'none', 'NO_CONTACT'], ['D-5', 'sms', 'SENT']]);
    assert.equal(n.log.filter((e) => e.msg === 'notification refused').length, 3);
  } finally {
    await n.close();
  }
});

test('notifier: a failing provider is retried; one that keeps failing is recorded FAILED and does not hold up the next', async () => {
  const sender = new FlakySender({ 'D-1': 2, 'D-2': 99 });
  const n = await setup(sender);
  try {
    await n.publish(n.envelope('D-1', 'RESOLVED'));
    await n.publish(n.envelope('D-2', 'RESOLVED'));
    await n.publish(n.envelope('D-3', 'RESOLVED'));
    await until('the third notice', () => sender.sent.some((s) => s.reference === 'D-3'));
    const deliveries = await n.deliveries();
    assert.deepEqual(deliveries.map((d) => [d.reference, d.outcome]), [['D-1', 'SENT'], ['D-2', 'FAILED'], ['D-3', 'SENT']]);
    assert.match(deliveries[1].error!, /provider down \(3\)/);
  } finally {
    await n.close();
  }
});

test('HttpSender posts the notice as JSON with the bearer token; a non-2xx answer is a failure', async () => {
  const received: { auth?: string; body: unknown }[] = [];
  let status = 202;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ auth: req.headers.authorization, body: JSON.parse(body) });
      res.writeHead(status).end(status === 202 ? '' : 'quota exceeded');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/sms`;
    const sender = new HttpSender({ medium: 'sms', url, token: 'secret' });
    const notice: Notice = { medium: 'sms', to: '0912345678', subject: 'Hồ sơ', text: 'Hồ sơ X đã có kết quả.', reference: 'X' };
    await sender.send(notice);
    assert.deepEqual(received[0], { auth: 'Bearer secret', body: { to: '0912345678', subject: 'Hồ sơ', text: 'Hồ sơ X đã có kết quả.', reference: 'X' } });
    status = 429;
    await assert.rejects(sender.send(notice), /sms-http: 429 quota exceeded/);
  } finally {
    server.close();
  }
  assert.equal(maskContact('0912345678'), '091****678');
  assert.equal(maskContact('lan.nguyen@example.vn'), 'l***@example.vn');
});
