import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { allows, requireAccess } from './access';
import { IdentitySigner, IdentityVerifier } from './gateway-token';
import { JwtVerifier } from './jwt';
import { mintDevToken, securityDisabled } from './setup';
import { maskName } from './personal-data';
import type { Identity } from './identity';

const taxOfficer: Identity = { role: 'officer', subject: 'o1', agency: 'H99.THUE.00', sector: 'TAX' };
const taxSystem: Identity = { role: 'agency-system', subject: 's1', agency: 'H99.THUE.00', sector: 'TAX' };
const citizen: Identity = { role: 'citizen', subject: '001190012345' };

test('access rules: roles, sectors, staff, public and admin', () => {
  assert.equal(allows(null, 'public'), true);
  assert.equal(allows(null, 'authenticated'), false);
  assert.equal(allows(citizen, 'authenticated'), true);
  assert.equal(allows(taxOfficer, 'officer:TAX'), true);
  assert.equal(allows(taxOfficer, 'officer:LAND'), false);
  assert.equal(allows(taxOfficer, 'system:TAX'), false);
  assert.equal(allows(taxSystem, 'system:TAX'), true);
  assert.equal(allows(taxSystem, 'staff:TAX'), true);
  assert.equal(allows(taxSystem, 'staff'), true);
  assert.equal(allows(citizen, 'staff'), false);
  assert.equal(allows({ role: 'admin', subject: 'a' }, 'officer:LAND'), true);
  assert.throws(() => requireAccess(null, ['citizen'], 'x'), (e: Error & { extensions?: Record<string, unknown> }) => e.extensions?.code === 'UNAUTHENTICATED');
  assert.throws(() => requireAccess(taxOfficer, ['officer:LAND'], 'x'), (e: Error & { extensions?: Record<string, unknown> }) => e.extensions?.code === 'FORBIDDEN');
});

test('gateway identity: verified, cached per caller, refused when tampered, foreign or expired', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signer = new IdentitySigner(privateKey, 60);
  const verifier = new IdentityVerifier(publicKey);
  const token = signer.tokenFor(citizen, 'land');
  assert.equal(signer.tokenFor(citizen, 'land'), token, 'one signature per caller per half-lifetime');
  assert.deepEqual(verifier.verify(token, 'land'), { ok: true, identity: citizen });
  assert.deepEqual(verifier.verify(signer.tokenFor(null, 'land'), 'land'), { ok: true, identity: null });
  const [v, payload, signature] = token.split('.');
  const forgedPayload = Buffer.from(JSON.stringify({ id: { role: 'admin', subject: 'x' }, exp: 9e9 })).toString('base64url');
  assert.equal(verifier.verify(`${v}.${forgedPayload}.${signature}`, 'land').ok, false);
  assert.equal(verifier.verify(new IdentitySigner(generateKeyPairSync('ed25519').privateKey).tokenFor(citizen, 'land'), 'land').ok, false);
  assert.equal(verifier.verify(undefined, 'land').ok, false);
  assert.equal(verifier.verify(`${v}.${payload}`, 'land').ok, false);
  const old = signer.tokenFor(taxOfficer, 'land', Date.now() - 120_000);
  assert.deepEqual(verifier.verify(old, 'land'), { ok: false, reason: 'gateway identity expired' });
});

test('JWT: claims become an identity; a citizen needs a personal number, staff need agency and sector', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const verifier = new JwtVerifier({ issuer: 'onestop-dev', audience: 'onestop-graph', publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] });
  const good = await verifier.verify(await mintDevToken(taxOfficer, { privateKeyPem: pem }));
  assert.deepEqual(good.ok && good.identity, { ...taxOfficer, unit: undefined, name: undefined });
  const badCitizen = await verifier.verify(await mintDevToken({ role: 'citizen', subject: '123' }, { privateKeyPem: pem }));
  assert.equal(badCitizen.ok, false);
  const noSector = await verifier.verify(await mintDevToken({ role: 'officer', subject: 'o', agency: 'A' }, { privateKeyPem: pem }));
  assert.deepEqual(noSector, { ok: false, reason: 'a officer token needs agency and sector claims' });
  const expired = await verifier.verify(await mintDevToken(citizen, { privateKeyPem: pem, issuedAt: Math.floor(Date.now() / 1000) - 3600, ttlSeconds: 60 }));
  assert.deepEqual(expired, { ok: false, reason: 'token expired' });
});

test('the insecure benchmark baseline is refused in production', () => {
  assert.equal(securityDisabled({}), false);
  assert.throws(() => securityDisabled({ INSECURE_NO_SECURITY: '1', NODE_ENV: 'production' }), /refused in production/);
});

test('analysts see names by initials', () => {
  assert.equal(maskName('Nguyễn Thị Đào'), '***');
});
