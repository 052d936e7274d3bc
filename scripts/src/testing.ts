import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

/** The MariaDB/MySQL server the MySQL suites use; `npm test` sets it when one answers, CI insists on it. */
export function mysqlTestUrl(): string | undefined {
  return process.env.TEST_MYSQL_URL || undefined;
}

/** Skips a MySQL suite with a visible reason when no server is configured (never in CI: the runner refuses). */
export function skipWithoutMysql(t: TestContext): string | undefined {
  const url = mysqlTestUrl();
  if (!url) t.skip('MySQL suite NOT RUN: no MariaDB/MySQL configured (TEST_MYSQL_URL)');
  return url;
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

/**
 * Parses YAML with PyYAML, an implementation independent of ours (python3-yaml; CI has it, docker-compose needs it).
 * Skips with a visible reason when it is missing, except in CI, where that is a failure.
 */
export function loadYamlWithPython(t: TestContext, text: string): unknown {
  // The first python3 on PATH may be a private one (pyenv) without PyYAML; Debian's has it with python3-yaml.
  const python = ['python3', '/usr/bin/python3'].find((candidate) => {
    const probe = spawnSync(candidate, ['-c', 'import yaml'], { encoding: 'utf8' });
    return !probe.error && probe.status === 0;
  });
  if (!python) {
    const reason = 'YAML check NOT RUN: python3 with PyYAML is not available (apt-get install python3-yaml)';
    if (process.env.CI) throw new Error(`CI: ${reason}`);
    t.skip(reason);
    return undefined;
  }
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
