import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { ensureDevKeys, KeyRing } from './keys';

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
