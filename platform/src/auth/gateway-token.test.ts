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
  const first = new Map(['001090000001', '001090000002'].map((n) => [n, signer.tokenFor(citizen(n))]));
  assert.equal(signer.tokenFor(citizen('001090000001')), first.get('001090000001'), 'reused');
  clock.now += 1000; // a token made from now on differs from the first ones (its exp is a second later)
  signer.tokenFor(citizen('001090000003')); // full: 002, the least recently used, goes
  assert.equal(signer.tokenFor(citizen('001090000001')), first.get('001090000001'), '001 is still remembered');
  assert.notEqual(signer.tokenFor(citizen('001090000002')), first.get('001090000002'), '002 was forgotten: signed again');
});

test('identity signer: a token is reused for half its lifetime, then a new one is signed', () => {
  const { signer, verifier, clock } = setup();
  const token = signer.tokenFor(citizen('001090000001'));
  clock.now += 29_000;
  assert.equal(signer.tokenFor(citizen('001090000001')), token);
  clock.now += 2_000; // past the half-lifetime (30 s)
  const renewed = signer.tokenFor(citizen('001090000001'));
  assert.notEqual(renewed, token);
  assert.deepEqual(verifier.verify(renewed), { ok: true, identity: citizen('001090000001') });
});

test('identity verifier: when full, only the least recently used token is forgotten; an expired one is not served', () => {
  const { signer, verifier, clock } = setup(2);
  const remembered = () => [...verifier['cache'].keys()];
  const [a, b, c] = ['001090000001', '001090000002', '001090000003'].map((n) => signer.tokenFor(citizen(n)));
  for (const token of [a, b, a]) assert.equal(verifier.verify(token).ok, true);
  assert.deepEqual(remembered(), [a, b]);
  assert.equal(verifier.verify(c).ok, true);
  assert.deepEqual(remembered(), [c, a], 'b, the least recently used, is forgotten; a is kept');

  clock.now += 59_000;
  assert.equal(verifier.verify(a).ok, true);
  clock.now += 1_001; // just past a's exp
  assert.deepEqual(remembered(), [], 'expired: no longer served from the cache');
  assert.deepEqual(verifier.verify(a), { ok: false, reason: 'gateway identity expired' });
  assert.deepEqual(remembered(), [], 'nor remembered again');
});
