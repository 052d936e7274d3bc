import { Readable } from 'node:stream';
import { Database, databaseConfig, documentStoreFromEnv, entitiesOf, keysFromEnv, migrationsOf, openDatabase, signDocument, SubgraphDefinition } from '@onestop/platform';
import { singleWindow } from '@onestop/single-window';
import type { DossierDocument } from '@onestop/single-window';
import { Dataset, DOCUMENT_FILES, generateDataset } from './generate';
import { DEFINITION_LIST } from '../stack/definitions';

export interface SeedOptions {
  citizens: number;
  seed?: number;
  env?: NodeJS.ProcessEnv;
  referenceNow?: Date;
  /** After each chunk: rows written so far and rows in all, over every table, and the table (`subgraph: Entity`) being written. */
  progress?: (done: number, total: number, stage: string) => void;
}

export type SeedSummary = Record<string, number>;

const SUBGRAPHS: SubgraphDefinition[] = DEFINITION_LIST;
const CHUNK = 500;
/** The demo data's "today": fixed, so that a seed always gives the same rows. */
export const DEMO_REFERENCE_NOW = new Date('2026-11-20T03:00:00Z');

export async function withDatabases<T>(env: NodeJS.ProcessEnv, work: (databases: Map<string, Database>) => Promise<T>): Promise<T> {
  const databases = new Map<string, Database>();
  try {
    for (const definition of SUBGRAPHS) {
      databases.set(definition.name, await openDatabase({ config: databaseConfig(definition.name, env), entities: entitiesOf(definition), migrations: migrationsOf(definition) }));
    }
    return await work(databases);
  } finally {
    for (const database of databases.values()) await database.dataSource.destroy();
  }
}

/** True when the single-window registry already holds dossiers. */
export async function isSeeded(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const database = await openDatabase({ config: databaseConfig(singleWindow.name, env), entities: entitiesOf(singleWindow), migrations: migrationsOf(singleWindow) });
  try {
    return (await database.dataSource.getRepository('Dossier').count()) > 0;
  } finally {
    await database.dataSource.destroy();
  }
}

/** Deletes every row of every subgraph's tables (the schema and migrations stay). */
export async function resetDemoData(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await withDatabases(env, async (databases) => {
    for (const [, database] of databases) {
      for (const entity of [...database.dataSource.entityMetadatas].reverse()) {
        await database.dataSource.createQueryBuilder().delete().from(entity.target).execute();
      }
    }
  });
}

/** Generates the demo data set and writes each subgraph's part into its own database, in chunks. */
export async function seedDemoData(options: SeedOptions): Promise<SeedSummary> {
  if (!Number.isInteger(options.citizens) || options.citizens < 50 || options.citizens > 999_999) {
    throw new Error('citizens must be a whole number from 50 to 999,999');
  }
  const dataset: Dataset = generateDataset({
    citizens: options.citizens, seed: options.seed ?? 766, referenceNow: options.referenceNow ?? DEMO_REFERENCE_NOW,
  });
  const env = options.env ?? process.env;
  // results are signed as the service signs them (the agency's handoff key), and their files written to the store
  const keys = keysFromEnv('single-window', env);
  for (const link of dataset['single-window'].DossierDocument as DossierDocument[]) {
    if (link.origin !== 'ISSUED' || link.reused || !link.issuer) continue;
    link.signature = signDocument({
      hash: link.hash, mediaType: link.mediaType, size: link.size, kind: link.kind, issuer: keys.agency, agencyCode: link.issuingAgencyCode!,
      issuedAt: link.addedAt.toISOString(),
    }, keys.privateKey).signature;
  }
  const store = documentStoreFromEnv('single-window', env);
  try {
    for (const file of DOCUMENT_FILES.get(dataset)?.values() ?? []) await store.put(Readable.from([file.bytes]), { maxBytes: file.bytes.length });
  } finally {
    store.close();
  }
  const summary: SeedSummary = {};
  const total = Object.values(dataset).flatMap((tables) => Object.values(tables as Record<string, object[]>)).reduce((sum, rows) => sum + rows.length, 0);
  let written = 0;
  await withDatabases(env, async (databases) => {
    for (const [subgraph, tables] of Object.entries(dataset)) {
      const dataSource = databases.get(subgraph)!.dataSource;
      for (const [entityName, rows] of Object.entries(tables as Record<string, object[]>)) {
        const stage = `${subgraph}: ${entityName}`;
        options.progress?.(written, total, stage);
        await dataSource.transaction(async (manager) => {
          for (let i = 0; i < rows.length; i += CHUNK) {
            await manager.getRepository(entityName).insert(rows.slice(i, i + CHUNK));
            options.progress?.(written + Math.min(i + CHUNK, rows.length), total, stage);
          }
        });
        written += rows.length;
        summary[stage] = rows.length;
      }
    }
  });
  return summary;
}
