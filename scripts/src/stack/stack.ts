import { ChildProcess, spawn } from 'node:child_process';
import { authKeysDir, Identity, mintDevToken } from '@onestop/platform';
import { GATEWAY_MAIN, SUBGRAPHS, SUPERGRAPH_PATH, subgraphMain } from './subgraphs';

export interface StackOptions {
  /** Extra environment for every process (DB_URL, DATA_DIR, NODE_ENV...). */
  env?: NodeJS.ProcessEnv;
  /** Gateway port; subgraphs take the next five (default 4000 → 4001–4005). */
  basePort?: number;
  supergraphPath?: string;
  /** Print each process's output with a name prefix (default), or keep it for error reports only. */
  output?: 'prefixed' | 'quiet';
  readyTimeoutMs?: number;
  /** Extra environment for one subgraph only (fault injection, a different database). */
  subgraphEnv?: Partial<Record<string, NodeJS.ProcessEnv>>;
}

export interface StackProcess {
  name: string;
  url: string;
  child: ChildProcess;
  output: string[];
}

export interface Stack {
  gatewayUrl: string;
  subgraphs: StackProcess[];
  gateway: StackProcess;
  /** Stops one subgraph (or finds it dead) and starts it again on the same port with the given environment (and node flags). */
  restartSubgraph(name: string, env?: NodeJS.ProcessEnv, nodeArgs?: string[]): Promise<StackProcess>;
  /** `Authorization` headers with a development token for this identity (the stack trusts the dev issuer). */
  as(identity: Identity): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/** The identities tests and demos use most. */
export const ADMIN: Identity = { role: 'admin', subject: 'admin.e2e', name: 'Quản trị hệ thống' };

function launch(name: string, args: string[], env: NodeJS.ProcessEnv, url: string, output: StackOptions['output'], extraNodeArgs: string[] = []): StackProcess {
  // STACK_NODE_ARGS: node flags for every process of the stack, e.g. '--cpu-prof --cpu-prof-dir=.cache/profiles'
  const nodeArgs = (process.env.STACK_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...extraNodeArgs, ...args], { env: { ...env, EXIT_WITH_PARENT: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  // a read may end inside a line (logs leave in buffered writes): keep the rest for the next one, per stream
  const collector = () => {
    let rest = '';
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        if (!line) continue;
        lines.push(line);
        if (lines.length > 200) lines.shift();
        if (output !== 'quiet') process.stdout.write(`[${name}] ${line}\n`);
      }
    };
  };
  child.stdout?.on('data', collector());
  child.stderr?.on('data', collector());
  return { name, url, child, output: lines };
}

async function waitReady(proc: StackProcess, timeoutMs: number): Promise<void> {
  const readyUrl = new URL('/ready', proc.url).toString();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited with code ${proc.child.exitCode}:\n${proc.output.slice(-20).join('\n')}`);
    }
    let body: { pid?: number } | undefined;
    let ok = false;
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) });
      ok = response.ok;
      body = (await response.json().catch(() => ({}))) as { pid?: number };
    } catch {
      // not listening yet
    }
    // Another process on the port (a leftover server) must not pass for this one.
    if (body?.pid !== undefined && body.pid !== proc.child.pid) {
      throw new Error(`${proc.name}: ${proc.url} is answered by another process (pid ${body.pid}); is an earlier run still up?`);
    }
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${proc.name} not ready after ${timeoutMs} ms:\n${proc.output.slice(-20).join('\n')}`);
}

function stopProcess(proc: StackProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return resolve();
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), 5000);
    proc.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.child.kill('SIGTERM');
  });
}

/**
 * STACK_PORT_OFFSET moves every port a stack (or a test) takes by that much, so that two checkouts can run their
 * end-to-end suites on one machine at once. Default 0.
 */
export function portOffset(): number {
  return Number(process.env.STACK_PORT_OFFSET ?? 0) || 0;
}

/** Starts the five subgraphs as separate processes, then the gateway on the committed supergraph. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const basePort = (options.basePort ?? 4000) + portOffset();
  const env = { ...process.env, ...options.env };
  authKeysDir(env);
  const as = async (identity: Identity) => ({ authorization: `Bearer ${await mintDevToken(identity, { env, ttlSeconds: 3600 })}` });
  const timeout = options.readyTimeoutMs ?? 60_000;
  const launchSubgraph = (index: number, extra: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []) => {
    const { name, dir } = SUBGRAPHS[index];
    const port = basePort + index + 1;
    return launch(name, [subgraphMain(dir), 'serve'], { ...env, ...options.subgraphEnv?.[name], ...extra, PORT: String(port) },
      `http://127.0.0.1:${port}/graphql`, options.output, nodeArgs);
  };
  const subgraphs = SUBGRAPHS.map((_, index) => launchSubgraph(index));
  const all: StackProcess[] = [...subgraphs];
  const stopAll = async () => {
    await Promise.all(all.map(stopProcess));
  };
  const restartSubgraph = async (name: string, extra: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []) => {
    const index = SUBGRAPHS.findIndex((s) => s.name === name);
    if (index < 0) throw new Error(`no subgraph ${name}`);
    const old = subgraphs[index];
    await stopProcess(old);
    const fresh = launchSubgraph(index, extra, nodeArgs);
    subgraphs[index] = fresh;
    all[all.indexOf(old)] = fresh;
    await waitReady(fresh, timeout);
    return fresh;
  };
  try {
    await Promise.all(subgraphs.map((s) => waitReady(s, timeout)));
    const gatewayArgs = [
      GATEWAY_MAIN,
      '--supergraph', options.supergraphPath ?? SUPERGRAPH_PATH,
      '--port', String(basePort),
      ...subgraphs.flatMap((s) => ['--subgraph', `${s.name}=${s.url}`]),
    ];
    const gateway = launch('gateway', gatewayArgs, env, `http://127.0.0.1:${basePort}/graphql`, options.output);
    all.push(gateway);
    await waitReady(gateway, timeout);
    return { gatewayUrl: gateway.url, subgraphs, gateway, restartSubgraph, as, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
