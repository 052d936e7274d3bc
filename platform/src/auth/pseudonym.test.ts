import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isProduction } from '../errors';
import { isMaskedIdentifier } from './personal-data';
import { pseudonym, pseudonymKeyFromEnv, pseudonymSex } from './pseudonym';

const KEY = Buffer.from('k'.repeat(32));

test('a pseudonym keeps no digit of the personal number, only its sex', () => {
  const value = pseudonym('001090012345', KEY);
  assert.match(value, /^\*M-[a-s]{16}$/);
  assert.equal(/\d/.test(value), false);
  assert.equal(pseudonymSex(value), 'MALE');
  assert.equal(pseudonymSex(pseudonym('001390012345', KEY)), 'FEMALE');
  assert.ok(isMaskedIdentifier(value), 'a pseudonym matches no record');
});

test('same person, same key: same pseudonym; another person or another key: another', () => {
  assert.equal(pseudonym('001190012345', KEY), pseudonym('001190012345', Buffer.from('k'.repeat(32))));
  assert.notEqual(pseudonym('001190012345', KEY), pseudonym('001190012346', KEY));
  assert.notEqual(pseudonym('001190012345', KEY), pseudonym('001190012345', Buffer.from('x'.repeat(32))));
});

test('the key: ANALYTICS_PSEUDONYM_KEY, required in production, at least 32 characters', () => {
  assert.deepEqual(pseudonymKeyFromEnv({ ANALYTICS_PSEUDONYM_KEY: 'k'.repeat(32) }), KEY);
  assert.throws(() => pseudonymKeyFromEnv({ NODE_ENV: 'production' }), /ANALYTICS_PSEUDONYM_KEY is required in production/);
  assert.throws(() => pseudonymKeyFromEnv({ ANALYTICS_PSEUDONYM_KEY: 'short' }), /at least 32/);
  // or from a secret file (compose secrets), whitespace around it ignored; a missing file is an error, not a dev key
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pseudonym-')), 'key');
  fs.writeFileSync(file, `${'k'.repeat(32)}\n`);
  assert.deepEqual(pseudonymKeyFromEnv({ NODE_ENV: 'production', ANALYTICS_PSEUDONYM_KEY_FILE: file }), KEY);
  assert.throws(() => pseudonymKeyFromEnv({ ANALYTICS_PSEUDONYM_KEY_FILE: `${file}.missing` }), /ANALYTICS_PSEUDONYM_KEY_FILE: cannot read/);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  assert.equal(isProduction({ NODE_ENV: 'production' }), true);
});
