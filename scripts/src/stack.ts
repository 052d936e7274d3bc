import { ChildProcess, spawn } from 'node:child_process';
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
  stop(): Promise<void>;
}

function launch(name: string, args: string[], env: NodeJS.ProcessEnv, url: string, output: StackOptions['output']): StackProcess {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
      if (output !== 'quiet') process.stdout.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return { name, url, child, output: lines };
}

async function waitReady(proc: StackProcess, timeoutMs: number): Promise<void> {
  const readyUrl = new URL('/ready', proc.url).toString();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited with code ${proc.child.exitCode}:\n${proc.output.slice(-20).join('\n')}`);
    }
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
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

/** Starts the five subgraphs as separate processes, then the gateway on the committed supergraph. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const basePort = options.basePort ?? 4000;
  const env = { ...process.env, ...options.env };
  const timeout = options.readyTimeoutMs ?? 60_000;
  const subgraphs = SUBGRAPHS.map(({ name, dir }, index) => {
    const port = basePort + index + 1;
    return launch(name, [subgraphMain(dir), 'serve'], { ...env, PORT: String(port) }, `http://127.0.0.1:${port}/graphql`, options.output);
  });
  const all: StackProcess[] = [...subgraphs];
  const stopAll = async () => {
    await Promise.all(all.map(stopProcess));
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
    return { gatewayUrl: gateway.url, subgraphs, gateway, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
