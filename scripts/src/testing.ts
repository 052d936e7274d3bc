import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
