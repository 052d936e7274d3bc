import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';

/**
 * TypeORM gives a better-sqlite3 data source one connection for the whole process. Two transactions at once would
 * share it: the second becomes a savepoint inside the first, and the first's rollback silently undoes the second's
 * "committed" work (a handoff applied, its offset committed, its rows gone). Statements outside any transaction would
 * likewise run inside whichever transaction is open.
 *
 * This puts one lock around the connection: a transaction holds it from BEGIN to COMMIT or ROLLBACK; a statement from
 * anywhere else waits for it. A transaction opened inside the holder's own async context nests (a savepoint), as before.
 * Only `manager.transaction` / `dataSource.transaction` are tracked; a `queryRunner.startTransaction` of one's own
 * (TypeORM's migrations, at startup) is not, and neither is `save` outside a transaction: don't.
 */
const scope = new AsyncLocalStorage<symbol>();

/**
 * Runs `work` as if outside any transaction: timers it sets do not inherit the transaction's scope. For background
 * work started from inside a transaction (the outbox relay), which must not read or write through it.
 */
export function outsideTransaction<T>(work: () => T): T {
  return scope.exit(work);
}

export function serializeSqliteConnection(dataSource: DataSource): void {
  let tail: Promise<void> = Promise.resolve();
  let holder: symbol | undefined;

  const acquire = async (): Promise<() => void> => {
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  };
  const owns = () => holder !== undefined && scope.getStore() === holder;

  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  manager.transaction = (async (...args: unknown[]) => {
    if (owns()) return transaction(...args);
    const release = await acquire();
    const token = Symbol('sqlite transaction');
    holder = token;
    try {
      return await scope.run(token, () => transaction(...args));
    } finally {
      holder = undefined;
      release();
    }
  }) as typeof manager.transaction;

  const runner = dataSource.driver.createQueryRunner('master');
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  runner.query = (async (...args: unknown[]) => {
    if (owns()) return query(...args);
    const release = await acquire();
    try {
      return await query(...args);
    } finally {
      release();
    }
  }) as typeof runner.query;
}
