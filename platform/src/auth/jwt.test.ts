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

test('JWT keys: every trusted key that fits the token\'s alg and kid is tried (a rotation from RS256 to EdDSA)', async () => {
  const { SignJWT } = await import('jose');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ed = generateKeyPairSync('ed25519');
  const pem = (key: import('node:crypto').KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
  const sign = (alg: string, key: import('node:crypto').KeyObject, kid?: string) =>
    new SignJWT({ role: 'officer', agency: 'H99.THUE.00', sector: 'TAX' })
      .setProtectedHeader({ alg, ...(kid ? { kid } : {}) }).setSubject('o1').setIssuer('onestop-dev').setAudience('onestop-graph')
      .setIssuedAt().setExpirationTime('10m').sign(key);
  // Old RSA key first, new Ed25519 key second, without key ids (PEM files have none)
  const plain = new JwtVerifier({ issuer: 'onestop-dev', audience: 'onestop-graph', publicKeys: [pem(rsa.publicKey), pem(ed.publicKey)] });
  for (const [alg, key, kid] of [['RS256', rsa.privateKey, undefined], ['EdDSA', ed.privateKey, undefined], ['EdDSA', ed.privateKey, 'k2026'], ['RS256', rsa.privateKey, 'k2025']] as const) {
    const check = await plain.verify(await sign(alg, key, kid));
    assert.equal(check.ok, true, `${alg} ${kid ?? 'without kid'}: ${check.ok ? '' : check.reason}`);
  }
  // With key ids: a token names the key it was signed with, and only that key may verify it
  const named = new JwtVerifier({
    issuer: 'onestop-dev', audience: 'onestop-graph',
    publicKeys: [{ key: pem(rsa.publicKey), kid: 'k2025' }, { key: pem(ed.publicKey), kid: 'k2026' }],
  });
  assert.equal((await named.verify(await sign('EdDSA', ed.privateKey, 'k2026'))).ok, true);
  assert.equal((await named.verify(await sign('EdDSA', ed.privateKey))).ok, true, 'no kid: every key of its algorithm is tried');
  assert.equal((await named.verify(await sign('RS256', rsa.privateKey, 'k2025'))).ok, true);
  assert.deepEqual(await named.verify(await sign('EdDSA', ed.privateKey, 'k2025')), { ok: false, reason: 'no trusted key matches the token' }, 'the kid names the RSA key');
  // A key nobody trusts, of a trusted algorithm, is refused
  const stranger = generateKeyPairSync('ed25519');
  assert.deepEqual(await plain.verify(await sign('EdDSA', stranger.privateKey)), { ok: false, reason: 'token signature does not verify' });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  assert.deepEqual(await plain.verify(await sign('ES256', p256.privateKey)), { ok: false, reason: 'no trusted key matches the token' });
});
