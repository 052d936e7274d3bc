import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseConfig, intFromEnv } from './config';

test('embedded SQLite by default, one file per subgraph', () => {
  assert.deepEqual(databaseConfig('land', { DATA_DIR: '/var/onestop' }), { kind: 'sqlite', file: path.join('/var/onestop', 'land.sqlite') });
});

test('DB_URL names the server; each subgraph gets its own database', () => {
  assert.deepEqual(databaseConfig('single-window', { DB_URL: 'mysql://app:s%40cret@db.internal:3307' }), {
    kind: 'mysql', host: 'db.internal', port: 3307, user: 'app', password: 's@cret', database: 'onestop_single_window',
  });
  assert.equal((databaseConfig('tax', { DB_URL: 'mariadb://root@127.0.0.1', DB_PREFIX: 'ci' }) as { database: string }).database, 'ci_tax');
});

test('a per-subgraph URL wins and may name its database', () => {
  const config = databaseConfig('civil-status', { DB_URL: 'mysql://root@a', CIVIL_STATUS_DB_URL: 'mysql://hotich@b:3306/ho_tich' });
  assert.deepEqual(config, { kind: 'mysql', host: 'b', port: 3306, user: 'hotich', password: '', database: 'ho_tich' });
});

test('bad settings fail loudly', () => {
  assert.throws(() => databaseConfig('land', { DB_URL: 'postgres://x' }), /Unsupported database URL/);
  assert.throws(() => intFromEnv('PORT', 1, { PORT: 'abc' }), /PORT must be a non-negative integer/);
});

test('a database password from a file (<SUBGRAPH>_DB_PASSWORD_FILE, else DB_PASSWORD_FILE) wins over the URL\'s', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-password-'));
  try {
    fs.writeFileSync(path.join(dir, 'land'), 'from-file\n');
    fs.writeFileSync(path.join(dir, 'shared'), 'shared-file');
    const url = 'mysql://onestop_land:in-url@db/onestop_land';
    assert.equal((databaseConfig('land', { LAND_DB_URL: url, LAND_DB_PASSWORD_FILE: path.join(dir, 'land'), DB_PASSWORD_FILE: path.join(dir, 'shared') }) as { password: string }).password, 'from-file');
    assert.equal((databaseConfig('land', { LAND_DB_URL: url, DB_PASSWORD_FILE: path.join(dir, 'shared') }) as { password: string }).password, 'shared-file');
    assert.equal((databaseConfig('land', { LAND_DB_URL: url }) as { password: string }).password, 'in-url');
    assert.throws(() => databaseConfig('land', { LAND_DB_URL: url, LAND_DB_PASSWORD_FILE: path.join(dir, 'missing') }), /LAND_DB_PASSWORD_FILE: cannot read/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
