import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { JwtVerifier, mintDevToken } from '@onestop/platform/gateway';
import { startTestGateway } from './plugins/testing';

const QUERY = '{ dossier(code: "x") { code } }';

function keys() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const verifier = new JwtVerifier({ issuer: 'onestop-dev', audience: 'onestop-graph', publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] });
  const mint = () => mintDevToken({ role: 'admin', subject: 'a' }, { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
  return { verifier, mint };
}

test('a token-heavy document is refused by the parser, before validation, with GRAPHQL_PARSE_FAILED', async () => {
  const gateway = await startTestGateway({ maxTokens: 5000 });
  try {
    assert.equal((await gateway.post({ query: QUERY })).status, 200, 'an ordinary query passes');
    // 100 000 tokens: `{ dossier(code: "x") { code code code … } }`
    const huge = `{ dossier(code: "x") { ${'code '.repeat(100_000 - 8)}} }`;
    const started = performance.now();
    const refused = await gateway.post({ query: huge });
    const ms = performance.now() - started;
    console.log(`100k-token document refused in ${ms.toFixed(1)} ms (round trip, ${(huge.length / 1024).toFixed(0)} KiB)`);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.errors?.[0].extensions?.code, 'GRAPHQL_PARSE_FAILED');
    assert.match(refused.body.errors![0].message, /5000 tokens\. Parsing aborted/);
    assert.equal(gateway.subgraphRequests(), 1, 'the refused document reached no subgraph');
  } finally {
    await gateway.stop();
  }
});

test('bad tokens count against their address before authentication: 401s, then 429 for the address', async () => {
  const { verifier, mint } = keys();
  const gateway = await startTestGateway({ jwtVerifier: verifier, rateLimit: { rate: 0.5, burst: 3, exempt: [] } }); // 3 per 6 s
  try {
    const bad = { authorization: 'Bearer not.a.token' };
    for (let i = 0; i < 3; i++) {
      const refused = await gateway.post({ query: QUERY }, bad);
      assert.equal(refused.status, 401, `bad token ${i + 1}`);
      assert.equal(refused.body.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
    }
    for (let i = 0; i < 5; i++) {
      const limited = await gateway.post({ query: QUERY }, bad);
      assert.equal(limited.status, 429, `bad token ${i + 4}`);
      assert.equal(limited.body.errors?.[0].extensions?.code, 'RATE_LIMITED');
      assert.equal(limited.headers.get('retry-after'), '6');
    }
    // The address is out of requests: refused before its token is looked at, a good one too, until its window ends
    const good = await gateway.post({ query: QUERY }, { authorization: `Bearer ${await mint()}` });
    assert.equal(good.status, 429);
    assert.equal(gateway.subgraphRequests(), 0);
  } finally {
    await gateway.stop();
  }
});

test('a signed-in caller is counted by identity, not by address: a good token is not limited by another client\'s bad ones', async () => {
  const { verifier, mint } = keys();
  const gateway = await startTestGateway({ jwtVerifier: verifier, rateLimit: { rate: 0.5, burst: 3, exempt: [] } });
  try {
    const token = await mint();
    for (let i = 0; i < 3; i++) assert.equal((await gateway.post({ query: QUERY }, { authorization: `Bearer ${token}` })).status, 200);
    assert.equal((await gateway.post({ query: QUERY }, { authorization: `Bearer ${token}` })).status, 429, 'its own limit');
  } finally {
    await gateway.stop();
  }
});
