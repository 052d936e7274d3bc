import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { JwtVerifier } from './jwt';
import { mintDevToken } from './setup';
import type { Identity } from './identity';

const officer = (subject: string): Identity => ({ role: 'officer', subject, agency: 'H99.THUE.00', sector: 'TAX' });

function setup(cacheEntries?: number) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const clock = { now: Math.floor(Date.now() / 1000) * 1000 };
  const verifier = new JwtVerifier({
    issuer: 'onestop-dev', audience: 'onestop-graph', publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()],
    cacheEntries, now: () => clock.now,
  });
  const mint = (identity: Identity, ttlSeconds = 600) => mintDevToken(identity, { privateKeyPem, issuedAt: clock.now / 1000, ttlSeconds });
  /** The tokens remembered, most recently used first. */
  const remembered = () => [...verifier['cache'].keys()];
  return { verifier, clock, mint, remembered };
}

test('JWT cache: when full, only the least recently used token is forgotten', async () => {
  const { verifier, mint, remembered } = setup(2);
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((subject) => mint(officer(subject))));
  for (const token of [a, b, a]) assert.equal((await verifier.verify(token)).ok, true);
  assert.deepEqual(remembered(), [a, b]);
  assert.equal((await verifier.verify(c)).ok, true);
  assert.deepEqual(remembered(), [c, a], 'b, the least recently used, is forgotten; a is kept');
  const again = await verifier.verify(b);
  assert.deepEqual(again.ok && again.identity.subject, 'b', 'a forgotten token is verified again');
  assert.deepEqual(remembered(), [b, c]);
});

test('JWT cache: a token is remembered until it expires, and not served after', async () => {
  const { verifier, clock, mint, remembered } = setup();
  const token = await mint(officer('o1'), 60);
  const first = await verifier.verify(token);
  assert.equal(first.ok && first.expiresAt, clock.now + 60_000);
  clock.now += 59_000;
  assert.equal((await verifier.verify(token)).ok, true);
  assert.deepEqual(remembered(), [token]);
  clock.now += 32_000; // expired 31 s ago: beyond the 30 s of clock tolerance
  assert.deepEqual(remembered(), [], 'no longer served from the cache');
  assert.deepEqual(await verifier.verify(token), { ok: false, reason: 'token expired' });
  assert.deepEqual(remembered(), [], 'nor remembered again');
});
