import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { IdentitySigner, IdentityVerifier } from './gateway-token';
import type { Identity } from './identity';

const citizen = (subject: string): Identity => ({ role: 'citizen', subject });

function setup(cacheEntries?: number) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const clock = { now: Math.floor(Date.now() / 1000) * 1000 };
  const now = () => clock.now;
  const signer = new IdentitySigner(privateKey, 60, { cacheEntries, now });
  const verifier = new IdentityVerifier(publicKey, { cacheEntries, now });
  return { signer, verifier, clock };
}

test('identity signer: when full, only the least recently used caller\'s token is forgotten', () => {
  const { signer, clock } = setup(2);
  const first = new Map(['001090000001', '001090000002'].map((n) => [n, signer.tokenFor(citizen(n), 'land')]));
  assert.equal(signer.tokenFor(citizen('001090000001'), 'land'), first.get('001090000001'), 'reused');
  clock.now += 1000; // a token made from now on differs from the first ones (its exp is a second later)
  signer.tokenFor(citizen('001090000003'), 'land'); // full: 002, the least recently used, goes
  assert.equal(signer.tokenFor(citizen('001090000001'), 'land'), first.get('001090000001'), '001 is still remembered');
  assert.notEqual(signer.tokenFor(citizen('001090000002'), 'land'), first.get('001090000002'), '002 was forgotten: signed again');
});

test('identity signer: a token is reused for half its lifetime, then a new one is signed', () => {
  const { signer, verifier, clock } = setup();
  const token = signer.tokenFor(citizen('001090000001'), 'land');
  clock.now += 29_000;
  assert.equal(signer.tokenFor(citizen('001090000001'), 'land'), token);
  clock.now += 2_000; // past the half-lifetime (30 s)
  const renewed = signer.tokenFor(citizen('001090000001'), 'land');
  assert.notEqual(renewed, token);
  assert.deepEqual(verifier.verify(renewed, 'land'), { ok: true, identity: citizen('001090000001') });
});

test('identity verifier: when full, only the least recently used token is forgotten; an expired one is not served', () => {
  const { signer, verifier, clock } = setup(2);
  const remembered = () => [...verifier['cache'].keys()];
  const [a, b, c] = ['001090000001', '001090000002', '001090000003'].map((n) => signer.tokenFor(citizen(n), 'land'));
  for (const token of [a, b, a]) assert.equal(verifier.verify(token, 'land').ok, true);
  assert.deepEqual(remembered(), [a, b]);
  assert.equal(verifier.verify(c, 'land').ok, true);
  assert.deepEqual(remembered(), [c, a], 'b, the least recently used, is forgotten; a is kept');

  clock.now += 59_000;
  assert.equal(verifier.verify(a, 'land').ok, true);
  clock.now += 1_001; // just past a's exp
  assert.deepEqual(remembered(), [], 'expired: no longer served from the cache');
  assert.deepEqual(verifier.verify(a, 'land'), { ok: false, reason: 'gateway identity expired' });
  assert.deepEqual(remembered(), [], 'nor remembered again');
});

test('identity token: names the one subgraph it is for; cached per subgraph and caller', () => {
  const { signer, verifier } = setup();
  const atLand = signer.tokenFor(citizen('001090000001'), 'land');
  const atTax = signer.tokenFor(citizen('001090000001'), 'tax');
  assert.notEqual(atLand, atTax, 'one token per subgraph');
  assert.equal(signer.tokenFor(citizen('001090000001'), 'land'), atLand, 'reused for the same subgraph');
  assert.deepEqual(verifier.verify(atLand, 'land'), { ok: true, identity: citizen('001090000001') });
  assert.deepEqual(verifier.verify(atLand, 'tax'), { ok: false, reason: 'gateway identity is not for the tax subgraph' });
  assert.deepEqual(verifier.verify(atTax, 'land'), { ok: false, reason: 'gateway identity is not for the land subgraph' }, 'also once cached');
  assert.equal(verifier.verify(signer.tokenFor(null, ['land', 'tax']), 'tax').ok, true, 'a list of subgraphs (benchmarks only)');
});
