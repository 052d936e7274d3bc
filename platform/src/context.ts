import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { HandoffNode } from './handoffs/node';
import type { Identity } from './auth/identity';
import { PersonalDataRecorder } from './auth/personal-data';

/**
 * What every resolver gets: the subgraph's database, its handoff node, the caller (verified by the gateway; null when
 * anonymous), the personal-data access recorder and per-request batch loaders.
 */
export class RequestContext {
  readonly requestId: string;
  readonly personalData: PersonalDataRecorder;
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();
  private requestNode?: HandoffNode;

  constructor(
    readonly db: DataSource,
    requestId?: string,
    private readonly node?: HandoffNode,
    readonly identity: Identity | null = null,
    /** The benchmark baseline (INSECURE_NO_SECURITY=1): no checks, no access log. Never in production. */
    readonly securityOff = false,
  ) {
    this.requestId = requestId || randomUUID();
    this.personalData = new PersonalDataRecorder(identity, this.requestId);
  }

  /** Queues handoffs in the caller's transaction: `ctx.handoffs.send(manager, request)`; they carry this request's id. */
  get handoffs(): HandoffNode {
    if (!this.node) throw new Error('This subgraph runs without a handoff bus');
    this.requestNode ??= this.node.forRequest(this.requestId);
    return this.requestNode;
  }

  /**
   * A per-request DataLoader: every `load` in the same tick becomes one call of `batch`.
   * `batch` must return one result per key, in key order.
   */
  loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    let loader = this.loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(async (keys) => batch(keys), { maxBatchSize: 1000 });
      this.loaders.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }
}

/** One row (or null) per key, in key order. */
export function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const index = new Map<K, V>();
  for (const row of rows) index.set(keyOf(row), row);
  return keys.map((key) => index.get(key) ?? null);
}

/** All rows per key, in key order. */
export function groupByKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K | null | undefined): V[][] {
  const groups = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null || key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}
