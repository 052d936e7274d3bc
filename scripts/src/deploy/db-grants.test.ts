import { afterAll, beforeAll, describe } from '@jest/globals';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { DatabaseConfig, entitiesOf, migrationsOf, openDatabase } from '@onestop/platform';
import { mysqlTestUrl, runId, tempDir, testWith } from '@onestop/platform/testing';
import { land } from '@onestop/land';
import { tax } from '@onestop/tax';
import { ROOT, SUBGRAPHS } from '../stack/subgraphs';

// scripts/deploy/db-grants.sh (what docker-compose.yml's MariaDB runs on its first start), applied with a prefix of its
// own on the test server: each subgraph's user migrates and uses its own database, and is refused every other one.

const prefix = `g${runId()}`;
const dir = tempDir('db-grants');
const names = SUBGRAPHS.map((s) => `${prefix}_${s.name.replace(/-/g, '_')}`);
let root: mysql.Connection | undefined;

function server() {
  const url = new URL(mysqlTestUrl()!);
  return { host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username || 'root'), password: decodeURIComponent(url.password) };
}
const password = (subgraph: string) => fs.readFileSync(path.join(dir, `${subgraph}.password`), 'utf8').trim();
function configFor(subgraph: string, as = subgraph): Extract<DatabaseConfig, { kind: 'mysql' }> {
  const { host, port } = server();
  return { kind: 'mysql', host, port, user: `${prefix}_${as.replace(/-/g, '_')}`, password: password(as), database: `${prefix}_${subgraph.replace(/-/g, '_')}` };
}
const grants = (env: NodeJS.ProcessEnv = {}) => execFileSync('bash', [path.join(ROOT, 'scripts/deploy/db-grants.sh'), dir], { env: { ...process.env, DB_PREFIX: prefix, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('scripts/deploy/db-grants.sh: a database and a user per subgraph', () => {
  beforeAll(async () => {
    for (const { name } of SUBGRAPHS) fs.writeFileSync(path.join(dir, `${name}.password`), `${Buffer.from(`${name}-${runId()}-${Math.random()}`).toString('base64url')}\n`);
    if (!mysqlTestUrl()) return;
    root = await mysql.createConnection({ ...server(), multipleStatements: true });
    await root.query(grants());
  });

  afterAll(async () => {
    if (root) {
      for (const name of names) await root.query(`DROP USER IF EXISTS '${name}'@'%'; DROP DATABASE IF EXISTS \`${name}\``);
      await root.end();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  testWith(['mysql'], 'land\'s user migrates and uses its own database; tax\'s user migrates its own', async () => {
    for (const definition of [land, tax]) {
      const db = await openDatabase({ config: configFor(definition.name), entities: entitiesOf(definition), migrations: migrationsOf(definition) });
      try {
        const applied = await db.dataSource.query('SELECT COUNT(*) AS n FROM migrations');
        assert.equal(Number(applied[0].n), (migrationsOf(definition) as unknown[]).length);
        await db.dataSource.query('CREATE TEMPORARY TABLE probe (id INT)');
        await db.dataSource.query('INSERT INTO probe VALUES (1)');
        assert.equal(Number((await db.dataSource.query('SELECT COUNT(*) AS n FROM probe'))[0].n), 1);
      } finally {
        await db.dataSource.destroy();
      }
    }
  }, 120_000);

  testWith(['mysql'], 'refused: land\'s user on tax\'s database (read, write, open), on a new database, granting, and root\'s tables', async () => {
    const { host, port } = server();
    const landUser = configFor('land');
    const connection = await mysql.createConnection({ host, port, user: landUser.user, password: landUser.password });
    const refused = async (sql: string, code: RegExp) => {
      await assert.rejects(connection.query(sql), (error: { code?: string }) => code.test(error.code ?? ''), sql);
    };
    try {
      const taxDb = `${prefix}_tax`;
      await root!.query(`CREATE TABLE IF NOT EXISTS \`${taxDb}\`.probe (id INT)`); // whether or not tax's migrations ran first
      await refused(`SELECT * FROM \`${taxDb}\`.probe`, /ER_TABLEACCESS_DENIED_ERROR/);
      await refused(`INSERT INTO \`${taxDb}\`.probe VALUES (1)`, /ER_TABLEACCESS_DENIED_ERROR/);
      await refused(`USE \`${taxDb}\``, /ER_DBACCESS_DENIED_ERROR/);
      await refused(`CREATE DATABASE \`${prefix}_other\``, /ER_DBACCESS_DENIED_ERROR/);
      await refused(`DROP DATABASE \`${taxDb}\``, /ER_DBACCESS_DENIED_ERROR/);
      await refused('SELECT * FROM mysql.user', /ER_TABLEACCESS_DENIED_ERROR/);
      await refused(`GRANT SELECT ON \`${prefix}_land\`.* TO '${prefix}_tax'@'%'`, /ER_DBACCESS_DENIED_ERROR|ER_ACCESS_DENIED_ERROR|ER_TABLEACCESS_DENIED_ERROR/);
      const [rows] = await connection.query('SHOW GRANTS');
      const lines = (rows as Record<string, string>[]).map((row) => Object.values(row)[0]);
      assert.deepEqual(lines.filter((line) => !/^GRANT USAGE ON \*\.\*/.test(line)).map((line) => /ON (\S+) TO/.exec(line)?.[1]), [`\`${prefix}_land\`.*`]);
    } finally {
      await connection.end();
    }
    // and the subgraph itself, pointed at tax's database with land's user, does not start
    await assert.rejects(openDatabase({ config: configFor('tax', 'land'), entities: entitiesOf(tax), migrations: migrationsOf(tax) }), /denied/i);
    // a wrong password is refused
    await assert.rejects(mysql.createConnection({ host, port, user: landUser.user, password: `${landUser.password}x` }), /Access denied/);
  }, 60_000);

  testWith(['mysql'], 'applied again (a renewed password): the new password works, the old one is refused, rights unchanged', async () => {
    const before = password('single-window');
    fs.writeFileSync(path.join(dir, 'single-window.password'), `${Buffer.from(`renewed-${runId()}-${Math.random()}`).toString('base64url')}\n`);
    await root!.query(grants());
    const { host, port } = server();
    const user = `${prefix}_single_window`;
    await assert.rejects(mysql.createConnection({ host, port, user, password: before }), /Access denied/);
    const connection = await mysql.createConnection({ host, port, user, password: password('single-window'), database: user });
    await connection.end();
  });

  testWith(['mysql'], 'bad input is refused before any SQL: a prefix with quotes, a short or quoted password, a missing file', async () => {
    assert.throws(() => grants({ DB_PREFIX: "x'; DROP USER root; --" }), /DB_PREFIX must be letters, digits and _/);
    const saved = fs.readFileSync(path.join(dir, 'tax.password'));
    try {
      fs.writeFileSync(path.join(dir, 'tax.password'), "short'pw");
      assert.throws(() => grants(), /tax.password: use at least 24 characters/);
      fs.rmSync(path.join(dir, 'tax.password'));
      assert.throws(() => grants(), /tax.password is missing or empty/);
    } finally {
      fs.writeFileSync(path.join(dir, 'tax.password'), saved);
    }
  });
});
