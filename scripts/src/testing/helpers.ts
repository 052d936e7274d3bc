import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, test } from '@jest/globals';

/**
 * The services suites may need. Jest's global setup (./global-setup.ts) sets each variable to what answered, or to ''
 * when nothing did; CI refuses to run without all of them.
 */
const SERVICES = {
  mysql: { variable: 'TEST_MYSQL_URL', what: 'MariaDB/MySQL (TEST_MYSQL_URL)' },
  kafka: { variable: 'TEST_KAFKA_BROKERS', what: 'a Kafka broker (TEST_KAFKA_BROKERS; npm run kafka -- start)' },
  redis: { variable: 'TEST_REDIS_URL', what: 'Redis (TEST_REDIS_URL; redis-server)' },
  kcat: { variable: 'TEST_KCAT', what: 'kcat (TEST_KCAT; apt-get install kcat)' },
  chromium: { variable: 'TEST_CHROMIUM', what: 'chromium (TEST_CHROMIUM; apt-get install chromium)' },
  pyyaml: { variable: 'TEST_PYYAML', what: 'python3 with PyYAML (TEST_PYYAML; apt-get install python3-yaml)' },
} as const;
export type Service = keyof typeof SERVICES;

/** What the global setup found for a service (a URL, brokers, a path), or undefined. */
export function service(name: Service): string | undefined {
  return process.env[SERVICES[name].variable] || undefined;
}

/** The MariaDB/MySQL server the MySQL suites use. */
export function mysqlTestUrl(): string | undefined {
  return service('mysql');
}

function missing(needs: Service[]): string | undefined {
  const absent = needs.filter((name) => !service(name));
  return absent.length ? `NOT RUN: needs ${absent.map((name) => SERVICES[name].what).join(' and ')}` : undefined;
}

/** A describe block that runs when its services answered, and is skipped, saying which were missing, when not. */
export function describeWith(needs: Service[], name: string, body: () => void): void {
  const reason = missing(needs);
  if (reason) describe.skip(`${name} [${reason}]`, body);
  else describe(name, body);
}

/** A test that runs when its services answered, and is skipped, saying which were missing, when not. */
export function testWith(needs: Service[], name: string, body: () => Promise<unknown> | void, timeout?: number): void {
  const reason = missing(needs);
  if (reason) test.skip(`${name} [${reason}]`, () => undefined);
  else test(name, async () => { await body(); }, timeout);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `onestop-${prefix}-`));
}

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  headers: Headers;
}

export async function graphql<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: GraphQLResponse<T>['errors'] };
  return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
}

/** A unique suffix for databases or ports of one test run. */
export function runId(): string {
  return `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
}

/** Parses YAML with PyYAML, an implementation independent of ours (python3-yaml; the `pyyaml` service). */
export function loadYamlWithPython(text: string): unknown {
  const python = service('pyyaml');
  if (!python) throw new Error('no python3 with PyYAML: run this test through testWith([\'pyyaml\'], …)');
  const script = 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin.buffer.read().decode("utf-8")), sys.stdout)';
  return JSON.parse(execFileSync(python, ['-c', script], { input: text, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

export interface LiveSubscription {
  /** Every result the server pushed so far. */
  results: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, any> }[] }[];
  /** Resolves when the server completes the subscription; rejects on a transport error. */
  done: Promise<void>;
  close(): Promise<void>;
}

/** A graphql-ws subscription against the gateway (ws:// on the GraphQL path), with the caller's Authorization. */
export function subscribeOverWebSocket(httpUrl: string, query: string, variables: Record<string, unknown>, authorization?: string): LiveSubscription {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createClient } = require('graphql-ws') as typeof import('graphql-ws');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const WebSocket = require('ws');
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false,
    // a refused or closed socket reaches the subscription's error sink below; the default would also print the whole event
    onNonLazyError: () => undefined,
    connectionParams: authorization ? { authorization } : {},
  });
  const results: LiveSubscription['results'] = [];
  const done = new Promise<void>((resolve, reject) => {
    client.subscribe({ query, variables }, {
      next: (result) => void results.push(result as LiveSubscription['results'][number]),
      error: (error) => {
        const event = error as { code?: number; reason?: string; message?: string };
        reject(error instanceof Error ? error : new Error(`socket closed: ${event.code ?? ''} ${event.reason ?? event.message ?? JSON.stringify(error)}`));
      },
      complete: () => resolve(),
    });
  });
  done.catch(() => undefined);
  return { results, done, close: () => client.dispose() as Promise<void> };
}

/** Waits for a line matching `pattern` in a process's output (logs leave in buffered writes, up to 200 ms late). */
export async function waitForOutput(proc: { name: string; output: string[] }, pattern: RegExp, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = proc.output.find((l) => pattern.test(l));
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`${proc.name} wrote no line matching ${pattern} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
