import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { ensureDevKeys, KeyRing } from './keys';
import { keysFromEnv } from './setup';

const pem = (key: import('node:crypto').KeyObject) => key.export({ type: 'spki', format: 'pem' });

test('key ring: a key installed or replaced in the folder is trusted at once; a removed one no longer; unchanged keys are not re-read', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-'));
  try {
    ensureDevKeys(dir, ['civil-status', 'police']);
    const ring = KeyRing.fromDirectory('civil-status', dir);
    const before = ring.publicKeyOf('police');
    assert.ok(before);
    assert.equal(ring.refresh('police'), false, 'nothing changed: no re-read');

    const rotated = generateKeyPairSync('ed25519');
    fs.writeFileSync(path.join(dir, 'police.pub.pem'), pem(rotated.publicKey)); // in place, right away
    assert.equal(ring.refresh('police'), true);
    assert.ok(ring.publicKeyOf('police')!.equals(rotated.publicKey));

    const partner = generateKeyPairSync('ed25519');
    fs.writeFileSync(path.join(dir, 'social-insurance.pub.pem'), pem(partner.publicKey));
    assert.equal(ring.refresh('social-insurance'), true);
    assert.ok(ring.publicKeyOf('social-insurance'));

    fs.rmSync(path.join(dir, 'police.pub.pem'));
    assert.equal(ring.refresh('police'), true);
    assert.equal(ring.publicKeyOf('police'), undefined, 'revoked by removing its key');
    assert.equal(ring.refresh('police'), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('key ring from separate files: the own private key alone plus a folder of public keys; a private key in that folder is refused', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-split-'));
  try {
    const all = path.join(root, 'all');
    ensureDevKeys(all, ['land', 'tax', 'police']);
    const publicDir = path.join(root, 'public');
    fs.mkdirSync(publicDir);
    for (const agency of ['land', 'tax']) fs.copyFileSync(path.join(all, `${agency}.pub.pem`), path.join(publicDir, `${agency}.pub.pem`));
    const own = path.join(root, 'land.key.pem');
    fs.copyFileSync(path.join(all, 'land.key.pem'), own);

    const ring = KeyRing.fromFiles('land', own, publicDir);
    assert.ok(ring.publicKeyOf('tax'));
    assert.equal(ring.publicKeyOf('police'), undefined, 'only the keys in the public folder are trusted');
    const police = generateKeyPairSync('ed25519');
    fs.writeFileSync(path.join(publicDir, 'police.pub.pem'), pem(police.publicKey));
    assert.equal(ring.refresh('police'), true);
    assert.ok(ring.publicKeyOf('police'), 'a partner key installed later is trusted without a restart');

    assert.throws(() => KeyRing.fromFiles('tax', path.join(root, 'tax.key.pem'), publicDir), /No signing key for tax/);
    fs.copyFileSync(path.join(all, 'tax.key.pem'), path.join(publicDir, 'tax.key.pem'));
    assert.throws(() => KeyRing.fromFiles('land', own, publicDir), /a private key in the public keys folder/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('keysFromEnv: HANDOFF_PRIVATE_KEY_FILE + HANDOFF_PUBLIC_KEYS_DIR generate nothing, even outside production', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-env-'));
  try {
    const publicDir = path.join(root, 'public');
    fs.mkdirSync(publicDir);
    const missing = path.join(root, 'land.key.pem');
    assert.throws(() => keysFromEnv('land', { NODE_ENV: 'development', HANDOFF_PRIVATE_KEY_FILE: missing, HANDOFF_PUBLIC_KEYS_DIR: publicDir }), /No signing key for land/);
    assert.equal(fs.readdirSync(publicDir).length, 0, 'no dev key written into the public folder');
    assert.equal(fs.existsSync(missing), false);
    assert.throws(() => keysFromEnv('land', { HANDOFF_PUBLIC_KEYS_DIR: publicDir }), /go together/);

    ensureDevKeys(path.join(root, 'all'), ['land', 'tax']);
    fs.copyFileSync(path.join(root, 'all', 'land.key.pem'), missing);
    fs.copyFileSync(path.join(root, 'all', 'tax.pub.pem'), path.join(publicDir, 'tax.pub.pem'));
    const ring = keysFromEnv('land', { NODE_ENV: 'production', HANDOFF_PRIVATE_KEY_FILE: missing, HANDOFF_PUBLIC_KEYS_DIR: publicDir });
    assert.ok(ring.publicKeyOf('tax'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
