import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

import { kafkaTestEnv, service, tempDir } from '@onestop/platform/testing';

export { describeWith, kafkaTestEnv, kafkaTestSecurity, mysqlTestUrl, runId, service, tempDir, testWith } from '@onestop/platform/testing';
export type { Service } from '@onestop/platform/testing';

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

/**
 * kcat's arguments to reach a cluster as `env` says (KAFKA_BROKERS, and for SASL_SSL the user, its password file and the
 * CA): `-b <brokers>`, and `-F <file>` with the properties the guide documents (schemas/handoffs/README.md), written
 * to a private file so that the password stays off the command line.
 */
export function kcatArgs(env: NodeJS.ProcessEnv = kafkaTestEnv()): string[] {
  const args = ['-b', env.KAFKA_BROKERS ?? ''];
  if ((env.KAFKA_SECURITY ?? 'plaintext') !== 'sasl_ssl') return args;
  const user = env.KAFKA_USERNAME ?? 'admin';
  const password = env.KAFKA_PASSWORD ?? fs.readFileSync(path.join(env.KAFKA_CREDENTIALS_DIR ?? '', `${user}.password`), 'utf8').trim();
  const file = path.join(tempDir('kcat'), 'kcat.conf');
  fs.writeFileSync(file, [
    'security.protocol=SASL_SSL', 'sasl.mechanisms=SCRAM-SHA-512', `sasl.username=${user}`, `sasl.password=${password}`,
    `ssl.ca.location=${env.KAFKA_CA_FILE ?? ''}`, '',
  ].join('\n'), { mode: 0o600 });
  return [...args, '-F', file];
}
