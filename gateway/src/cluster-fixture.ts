import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';

/**
 * For the cluster tests: the compiled gateway (as it runs in production; `npm test` builds it first) started with
 * GATEWAY_WORKERS and `env`, over a one-field subgraph (`{ temperature }` answers 31). Its log lines are collected.
 */
export interface ClusterGateway {
  primary: ChildProcess;
  /** Every line the primary and its workers printed, parsed as JSON (or `{ raw }`). */
  lines: Record<string, any>[];
  /** Resolves with the first log line matching, from index `from` on, within `ms`. */
  waitForLine(match: (line: Record<string, any>) => boolean, from?: number, ms?: number): Promise<Record<string, any>>;
  /** SIGTERM (SIGKILL after 10 s) if still running; closes the subgraph and removes the files. */
  stop(): Promise<void>;
}

const MAIN = path.join(__dirname, '..', 'dist', 'main.js');

export async function startClusterGateway(env: NodeJS.ProcessEnv): Promise<ClusterGateway> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-cluster-'));
  const subgraph = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":{"temperature":31}}');
    });
  });
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(subgraph.address() as { port: number }).port}/graphql`;
  const composed = composeServices([{ name: 'weather', url, typeDefs: parse('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { temperature: Int }') }]);
  fs.writeFileSync(path.join(dir, 'supergraph.graphql'), composed.supergraphSdl!);
  const primary = spawn(process.execPath, [MAIN, '--supergraph', path.join(dir, 'supergraph.graphql'), '--port', '0', '--no-watch'], {
    env: {
      ...process.env, GATEWAY_WORKERS: '2', GATEWAY_SUBSCRIPTIONS: 'off', GATEWAY_RESPONSE_CACHE: 'off', AUTH_KEYS_DIR: path.join(dir, 'keys'),
      LOG_SYNC: 'true', LOG_LEVEL: 'info', NODE_ENV: 'test', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, any>[] = [];
  let rest = '';
  const collect = (chunk: Buffer) => {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part));
      } catch {
        lines.push({ raw: part });
      }
    }
  };
  primary.stdout!.on('data', collect);
  primary.stderr!.on('data', collect);

  const waitForLine = (match: (line: Record<string, any>) => boolean, from = 0, ms = 15_000) => {
    const deadline = Date.now() + ms;
    return new Promise<Record<string, any>>((resolve, reject) => {
      const poll = () => {
        const found = lines.slice(from).find(match);
        if (found) return resolve(found);
        if (Date.now() > deadline) return reject(new Error(`no such log line; last: ${JSON.stringify(lines.slice(-5))}`));
        setTimeout(poll, 50);
      };
      poll();
    });
  };
  const stop = async () => {
    if (primary.exitCode === null && primary.signalCode === null) {
      const exited = new Promise((resolve) => primary.once('exit', resolve));
      primary.kill('SIGTERM');
      const timer = setTimeout(() => primary.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    subgraph.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { primary, lines, waitForLine, stop };
}
