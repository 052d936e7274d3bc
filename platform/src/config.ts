import fs from 'node:fs';
import path from 'node:path';

/** Where a subgraph keeps its data: MySQL/MariaDB when configured, else an embedded SQLite file. */
export type DatabaseConfig =
  | { kind: 'mysql'; host: string; port: number; user: string; password: string; database: string }
  | { kind: 'sqlite'; file: string };

function envName(subgraph: string): string {
  return subgraph.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** A secret kept in a file (a compose or Kubernetes secret): its content without surrounding whitespace; '' when unset. */
export function readSecret(file: string | undefined, variable: string): string {
  if (!file) return '';
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/**
 * Resolution order: `<SUBGRAPH>_DB_URL` (full URL, database in the path), then `DB_URL`
 * (server only; each subgraph gets `${DB_PREFIX:-onestop}_<subgraph>`), then SQLite under `DATA_DIR` (default `.data`).
 * The password may instead come from a file: `<SUBGRAPH>_DB_PASSWORD_FILE`, else `DB_PASSWORD_FILE`.
 */
export function databaseConfig(subgraph: string, env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const own = env[`${envName(subgraph)}_DB_URL`];
  const shared = env.DB_URL;
  const raw = own || shared;
  const defaultName = `${env.DB_PREFIX || 'onestop'}_${subgraph.replace(/-/g, '_')}`;
  if (raw && !raw.startsWith('sqlite:')) {
    const url = new URL(raw);
    if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
      throw new Error(`Unsupported database URL protocol ${url.protocol} (use mysql://, mariadb:// or sqlite:)`);
    }
    const fromPath = decodeURIComponent(url.pathname.replace(/^\//, ''));
    return {
      kind: 'mysql',
      host: url.hostname || '127.0.0.1',
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || 'root'),
      password: readSecret(env[`${envName(subgraph)}_DB_PASSWORD_FILE`], `${envName(subgraph)}_DB_PASSWORD_FILE`)
        || readSecret(env.DB_PASSWORD_FILE, 'DB_PASSWORD_FILE') || decodeURIComponent(url.password || ''),
      database: own && fromPath ? fromPath : defaultName,
    };
  }
  if (raw?.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length);
    return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
  }
  const dir = path.resolve(env.DATA_DIR || '.data');
  return { kind: 'sqlite', file: path.join(dir, `${subgraph}.sqlite`) };
}

export function intFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

export function describeDatabase(config: DatabaseConfig): string {
  return config.kind === 'mysql'
    ? `mysql://${config.user}@${config.host}:${config.port}/${config.database}`
    : `sqlite:${config.file}`;
}
