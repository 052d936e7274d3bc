import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { databaseConfig, dropMysqlDatabase, entitiesOf, migrationsOf, openDatabase, pendingSchemaChanges, SubgraphDefinition } from '@onestop/platform';
import { DEFINITION_LIST } from '../stack/definitions';
import { mysqlTestUrl, runId, testWith, tempDir } from '../testing/helpers';

const SUBGRAPHS: SubgraphDefinition[] = DEFINITION_LIST;

async function checkMigrations(definition: SubgraphDefinition, env: NodeJS.ProcessEnv) {
  const config = databaseConfig(definition.name, env);
  await dropMysqlDatabase(config);
  const open = () => openDatabase({ config, entities: entitiesOf(definition), migrations: migrationsOf(definition) });
  try {
    const first = await open();
    try {
      assert.deepEqual(await pendingSchemaChanges(first.dataSource), [], `${definition.name}: entities differ from migrations`);
    } finally {
      await first.dataSource.destroy();
    }
    // opening again applies nothing twice
    const second = await open();
    try {
      const applied = await second.dataSource.query('SELECT COUNT(*) AS n FROM migrations');
      assert.equal(Number(applied[0].n), (migrationsOf(definition) as unknown[]).length);
      // and every migration can be reverted, leaving only the migrations table
      for (let i = 0; i < (migrationsOf(definition) as unknown[]).length; i++) await second.dataSource.undoLastMigration();
      const tables: { name: string }[] = await second.dataSource.query(
        config.kind === 'sqlite'
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
          : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
      );
      // (rows come from the driver's realm, not the test's: compare their names as a list of this realm)
      assert.deepEqual(Array.from(tables, (t) => t.name).filter((n) => n !== 'migrations'), []);
    } finally {
      await second.dataSource.destroy();
    }
  } finally {
    await dropMysqlDatabase(config);
  }
}

for (const definition of SUBGRAPHS) {
  test(`${definition.name}: migrations build exactly the entities' schema on SQLite`, async () => {
    await checkMigrations(definition, { DATA_DIR: tempDir('migrations') });
  });

  testWith(['mysql'], `${definition.name}: migrations build exactly the entities' schema on MariaDB`, async () => {
    await checkMigrations(definition, { DB_URL: mysqlTestUrl(), DB_PREFIX: `mig_${runId()}` });
  });
}
