import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import WebSocket from 'ws';
import type { Transport } from '@onestop/platform';
import { JwtVerifier, mintDevToken } from '@onestop/platform/gateway';
import { startTestGateway } from '../plugins/testing';
import { TOKEN_EXPIRED } from './server';

const bus = {
  kind: 'embedded', ensureTopics: async () => undefined, publish: async () => undefined, readAll: async () => [], close: async () => undefined,
  consume: async () => ({ stop: async () => undefined }),
} as unknown as Transport;

/** Opens a graphql-ws socket signed in with `token`; resolves when acknowledged, and tells how and when it closed. */
function connect(url: string, token: string) {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })));
  const acknowledged = new Promise<boolean>((resolve) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('message', (data) => JSON.parse(String(data)).type === 'connection_ack' && resolve(true));
    void closed.then(() => resolve(false));
  });
  return { socket, closed, acknowledged };
}

test('a subscription socket is closed with 4401 "token expired" when its token expires', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const verifier = new JwtVerifier({ issuer: 'onestop-dev', audience: 'onestop-graph', publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] });
  const gateway = await startTestGateway({ jwtVerifier: verifier, subscriptions: { transport: bus }, responseCache: false });
  try {
    const issuedAt = Math.floor(Date.now() / 1000);
    const shortLived = await mintDevToken({ role: 'citizen', subject: '001085012345' }, { privateKeyPem, issuedAt, ttlSeconds: 2 });
    const longLived = await mintDevToken({ role: 'citizen', subject: '001085012345' }, { privateKeyPem, issuedAt, ttlSeconds: 600 });
    const short = connect(gateway.url, shortLived);
    const long = connect(gateway.url, longLived);
    assert.equal(await short.acknowledged, true);
    assert.equal(await long.acknowledged, true);
    const closed = await short.closed;
    assert.deepEqual({ code: closed.code, reason: closed.reason }, TOKEN_EXPIRED);
    const lateMs = closed.at - (issuedAt + 2) * 1000;
    assert.ok(lateMs >= 0 && lateMs < 1000, `closed ${lateMs} ms after the token's exp`);
    assert.equal(long.socket.readyState, WebSocket.OPEN, 'a socket whose token is still valid stays open');
    long.socket.close();
    await long.closed;
  } finally {
    await gateway.stop();
  }
});

test('a token-heavy subscription document is refused by the parser\'s limit, as over HTTP', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const verifier = new JwtVerifier({ issuer: 'onestop-dev', audience: 'onestop-graph', publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] });
  const gateway = await startTestGateway({ jwtVerifier: verifier, subscriptions: { transport: bus }, responseCache: false, maxTokens: 1000 });
  try {
    const token = await mintDevToken({ role: 'citizen', subject: '001085012345' }, { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    const client = connect(gateway.url, token);
    assert.equal(await client.acknowledged, true);
    const answer = new Promise<{ type: string; payload: { extensions?: { code?: string }; message: string }[] }>((resolve) =>
      client.socket.on('message', (data) => { const message = JSON.parse(String(data)); if (message.id === '1') resolve(message); }));
    client.socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { dossierStatusChanged(code: "x") { ${'code '.repeat(5000)}} }` } }));
    const refused = await answer;
    assert.equal(refused.type, 'error');
    assert.equal(refused.payload[0].extensions?.code, 'GRAPHQL_PARSE_FAILED');
    assert.match(refused.payload[0].message, /1000 tokens/);
    client.socket.close();
    await client.closed;
  } finally {
    await gateway.stop();
  }
});
