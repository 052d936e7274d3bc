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
