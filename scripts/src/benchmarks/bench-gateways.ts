/**
 * `npm run bench:gateways`: our gateway against plain @apollo/gateway and Hive Gateway (defaults, --jit, and its Rust
 * query planner and executor from Hive Router, `--hive-router-runtime`), side by
 * side on the same supergraph file and the same running subgraphs (one stack on the seeded SQLite demo data), loaded in
 * turn by autocannon with a portal mix where every request carries different variables (and, separately, one
 * citizen's overview over and over). Rounds are interleaved (A B C D A B C D…) and medians reported, with peak RSS
 * and CPU time per request of each gateway (and of the subgraphs) read from /proc during each run.
 *
 * Not the same work: ours verifies each caller's JWT, applies its operation limits and signs the caller's identity for
 * the subgraphs; the others verify nothing and forward the `x-onestop-identity` header the load generator precomputed
 * with the gateway's key (our subgraphs refuse requests without one). Every request carries both headers, so all
 * gateways receive the same bytes.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { IDENTITY_HEADER, Identity, identitySignerFromEnv, IdentitySigner } from '@onestop/platform';
import { buildManifest, readOperationSources } from '@onestop/gateway';
import { isSeeded } from '../demo-data';
import { progressBar } from '../cli/progress';
import { seedWithProgress } from '../cli/seed';
import { ADMIN, Stack, startStack } from '../stack/stack';
import { GATEWAY_MAIN, ROOT, SUPERGRAPH_PATH } from '../stack/subgraphs';
import { graphql } from '../testing/helpers';
import {
  canonicalJson, cpuMs, firstDifference, interleave, median, mergeSummaries, newestProfile, processTree, readProfile, rssBytes, summariseProfile,
} from './bench-gateways-util';

// autocannon ships no types
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<any>;

const HIVE_DIR = path.join(ROOT, 'bench', 'gateways');
const HIVE_CONFIG = path.join(HIVE_DIR, 'gateway.config.mjs');
const APOLLO_MAIN = path.join(__dirname, 'bench-gateways-apollo.js');
const CLUSTER_MAIN = path.join(__dirname, 'bench-gateways-cluster.js');
const PORTAL_OPERATIONS = path.join(ROOT, 'gateway', 'operations', 'portal');

const USAGE = `Usage: npm run bench:gateways -- [--seconds 10] [--connections 20] [--rounds 3] [--warmup 3] [--workers 1]
       [--gateways ours,apollo,hive,hive-jit,hive-router] [--cpu-prof [--cpu-prof-gateway ours]] [--cpu-prof-subgraphs]
       [--citizens 5000] [--port 4900]

Our gateway against plain @apollo/gateway and Hive Gateway (its defaults, --jit, and --hive-router-runtime: Hive
Router's Rust query planner and executor), on the same supergraph file and the same subgraphs, under a portal mix (every request with different variables) and under one repeated query.
--workers N     processes per gateway: ours with GATEWAY_WORKERS=N, plain Apollo as N node cluster workers (bench-gateways-cluster),
                Hive with --fork N; memory and CPU count the primary and its workers together
--cpu-prof      afterwards, one more run of the mix against a fresh instance of our gateway (or of the one named
                by --cpu-prof-gateway) under node --cpu-prof; prints the top self-time frames and packages and
                keeps the profile in .cache/bench-gateways/
--cpu-prof-subgraphs  afterwards, the five subgraphs restarted under node --cpu-prof and one more run of the mix
                through our gateway; prints where they spend their time together (profiles in .cache/bench-gateways/)
--port N        the stack uses N (its own gateway, for discovery only) and N+1…N+5 (subgraphs); the gateways
                under test N+10…N+15
Hive Gateway and @graphql-hive/router-runtime are installed into bench/gateways/ (npm install --prefix bench/gateways)
on first use.`;

type GatewayId = 'ours' | 'apollo' | 'hive' | 'hive-jit' | 'hive-router';
const ALL_GATEWAYS: GatewayId[] = ['ours', 'apollo', 'hive', 'hive-jit', 'hive-router'];
/** The strongest peer: the headline ratio is against it. */
const HEADLINE_PEER: GatewayId = 'hive-router';

type Kind = 'citizen overview' | 'dossier lookup' | 'officer inbox' | 'analyst report';

/** The share of each kind of request in the portal mix. */
const MIX: Record<Kind, number> = { 'citizen overview': 40, 'dossier lookup': 30, 'officer inbox': 20, 'analyst report': 10 };

/**
 * The analysts' "Enterprise search" report (gateway/src/explorer/saved-queries.ts) across business registration, tax
 * and land, without `legalRepresentative.fullName`: as an analyst that field fails today (the masked personal number
 * finds no citizen, and fullName is non-null), which would null the whole answer.
 */
const ANALYST_REPORT = `query EnterpriseReport($status: EnterpriseStatus, $headOfficeCommuneCode: String, $offset: Int! = 0, $limit: Int! = 20) {
  enterprises(status: $status, headOfficeCommuneCode: $headOfficeCommuneCode, offset: $offset, limit: $limit) {
    totalCount
    items {
      enterpriseCode name type status registeredOn charterCapital headOfficeAddress
      legalRepresentative { personalNumber }
      businessLines { vsicCode description isMain }
      taxProfile { managingTaxOffice status }
      landRights { items { certificateSerial parcel { id area } } }
    }
  }
}`;

const OPEN_STATUSES = ['RECEIVED', 'TRANSFERRED', 'IN_APPRAISAL', 'SUPPLEMENT_REQUESTED', 'FINANCIAL_OBLIGATION', 'APPROVAL'];

interface Options {
  seconds: number;
  connections: number;
  rounds: number;
  warmup: number;
  workers: number;
  gateways: GatewayId[];
  /** The gateway to profile after the timed rounds, if any. */
  cpuProf?: GatewayId;
  cpuProfSubgraphs: boolean;
  citizens: number;
  port: number;
}

/** One caller: its token for our gateway and the identity header the others forward (renewed while the bench runs). */
interface Caller {
  identity: Identity;
  headers: Record<string, string>;
}

interface Prepared {
  kind: Kind;
  variables: Record<string, unknown>;
  body: string;
  caller: Caller;
}

interface Run {
  gateway: GatewayId;
  scenario: string;
  round: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  transportErrors: number;
  graphqlErrors: number;
  errorSample?: string;
  peakRssBytes: number;
  gatewayCpuMsPerRequest: number;
  subgraphCpuMsPerRequest: number;
}

interface GatewayProcess {
  id: GatewayId;
  url: string;
  child: ChildProcess;
  output: string[];
}

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      workers: { type: 'string' },
      gateways: { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      'cpu-prof-gateway': { type: 'string' },
      'cpu-prof-subgraphs': { type: 'boolean' },
      citizens: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const int = (name: string, value: string | undefined, fallback: number, min: number) => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${value}`);
    return n;
  };
  const profiled = (values['cpu-prof-gateway'] ?? 'ours') as GatewayId;
  if (!ALL_GATEWAYS.includes(profiled)) throw new Error(`--cpu-prof-gateway: unknown "${profiled}" (${ALL_GATEWAYS.join(', ')})`);
  if (values['cpu-prof-gateway'] && !values['cpu-prof']) throw new Error('--cpu-prof-gateway goes with --cpu-prof');
  const gateways = (values.gateways ?? ALL_GATEWAYS.join(',')).split(',').map((g) => g.trim()).filter(Boolean) as GatewayId[];
  for (const g of gateways) if (!ALL_GATEWAYS.includes(g)) throw new Error(`--gateways: unknown "${g}" (${ALL_GATEWAYS.join(', ')})`);
  // Ours always, and first: the others are checked and compared against it.
  return {
    seconds: int('seconds', values.seconds, 10, 1),
    connections: int('connections', values.connections, 20, 1),
    rounds: int('rounds', values.rounds, 3, 1),
    warmup: int('warmup', values.warmup, 3, 0),
    workers: int('workers', values.workers, 1, 1),
    gateways: ALL_GATEWAYS.filter((g) => g === 'ours' || gateways.includes(g)),
    cpuProf: values['cpu-prof'] ? profiled : undefined,
    cpuProfSubgraphs: Boolean(values['cpu-prof-subgraphs']),
    citizens: int('citizens', values.citizens ?? process.env.BENCH_CITIZENS, 5000, 10),
    port: int('port', values.port, 4900, 1024),
  };
}

// ---- Hive Gateway, installed on demand ----

function versionOf(dir: string, pkg: string): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

const HIVE_PACKAGES = ['@graphql-hive/gateway', '@graphql-hive/router-runtime'];

/** Installs bench/gateways/ (Hive Gateway and its router runtime at the versions its package.json pins) unless there; returns its bin. */
function ensureHive(): { bin: string; version: string; routerVersion: string } {
  const pinned = JSON.parse(fs.readFileSync(path.join(HIVE_DIR, 'package.json'), 'utf8')).dependencies as Record<string, string>;
  const wanted = pinned['@graphql-hive/gateway'];
  if (HIVE_PACKAGES.some((pkg) => versionOf(HIVE_DIR, pkg) !== pinned[pkg])) {
    console.log(`Installing Hive Gateway ${wanted} into ${path.relative(ROOT, HIVE_DIR)}/ (npm install --prefix bench/gateways)…`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['install', '--prefix', HIVE_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`npm install --prefix ${HIVE_DIR} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
  const version = versionOf(HIVE_DIR, '@graphql-hive/gateway');
  for (const pkg of HIVE_PACKAGES) {
    const found = versionOf(HIVE_DIR, pkg);
    if (found !== pinned[pkg]) throw new Error(`bench/gateways: expected ${pkg} ${pinned[pkg]}, found ${found}`);
  }
  return {
    bin: path.join(HIVE_DIR, 'node_modules', '@graphql-hive', 'gateway', 'dist', 'bin.js'),
    version: version!,
    routerVersion: versionOf(HIVE_DIR, '@graphql-hive/router-runtime')!,
  };
}

// ---- the gateways under test ----

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function spawnProcess(id: GatewayProcess['id'], args: string[], env: NodeJS.ProcessEnv, url: string, cwd = ROOT): GatewayProcess {
  const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      output.push(line);
      if (output.length > 200) output.shift();
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const proc = { id, url, child, output };
  spawned.push(proc);
  return proc;
}

/** Every gateway process this bench started (the profiled one too), to stop on the way out whatever happens. */
const spawned: GatewayProcess[] = [];

interface LaunchContext {
  stack: Stack;
  env: NodeJS.ProcessEnv;
  workers: number;
  hiveBin?: string;
}

function launchGateway(id: GatewayId, port: number, ctx: LaunchContext, nodeFlags: string[] = []): GatewayProcess {
  const url = `http://127.0.0.1:${port}/graphql`;
  const subgraphs = ctx.stack.subgraphs.map((s) => [s.name, s.url] as const);
  const inCluster = (main: string, args: string[]) =>
    ctx.workers > 1 && !nodeFlags.length ? [...nodeFlags, CLUSTER_MAIN, String(ctx.workers), main, ...args] : [...nodeFlags, main, ...args];
  switch (id) {
    case 'ours':
      // its own cluster (GATEWAY_WORKERS), as deployed
      return spawnProcess(id, [...nodeFlags, GATEWAY_MAIN,
        '--supergraph', SUPERGRAPH_PATH, '--port', String(port), '--host', '127.0.0.1',
        ...subgraphs.flatMap(([name, u]) => ['--subgraph', `${name}=${u}`]),
      ], { ...ctx.env, EXIT_WITH_PARENT: '1', GATEWAY_WORKERS: String(nodeFlags.length ? 1 : ctx.workers) }, url);
    case 'apollo':
      return spawnProcess(id, inCluster(APOLLO_MAIN, [
        '--supergraph', SUPERGRAPH_PATH, '--port', String(port), '--host', '127.0.0.1',
        ...subgraphs.flatMap(([name, u]) => ['--subgraph', `${name}=${u}`]),
        '--forward-header', IDENTITY_HEADER,
      ]), ctx.env, url);
    case 'hive':
    case 'hive-jit':
    case 'hive-router':
      return spawnProcess(id, [
        ...nodeFlags, ctx.hiveBin!, 'supergraph', SUPERGRAPH_PATH, '--config-path', HIVE_CONFIG, '--port', String(port), '--host', '127.0.0.1',
        ...(ctx.workers > 1 ? ['--fork', String(ctx.workers)] : []),
        ...(id === 'hive-jit' ? ['--jit'] : []),
        ...(id === 'hive-router' ? ['--hive-router-runtime'] : []),
      ], { ...ctx.env, BENCH_SUBGRAPH_URLS: JSON.stringify(Object.fromEntries(subgraphs)) }, url, HIVE_DIR);
  }
}

/**
 * Hive Gateway falls back to its default runtime, with only a warning, when it cannot load the router runtime: the
 * arm must not silently measure the other configuration.
 */
function checkRouterRuntime(proc: GatewayProcess): void {
  if (proc.id !== 'hive-router') return;
  const log = proc.output.join('\n');
  if (/Could not load the @graphql-hive\/router-runtime/.test(log) || !/Using Hive Router Runtime/.test(log)) {
    throw new Error(`hive-router did not start with the router runtime:\n${proc.output.slice(-30).join('\n')}`);
  }
}

/** Until the gateway answers `{ __typename }` (each serves POST /graphql). */
async function waitAnswering(proc: GatewayProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${proc.id} exited (${proc.child.exitCode ?? proc.child.signalCode}):\n${proc.output.slice(-30).join('\n')}`);
    }
    try {
      const response = await graphql(proc.url, '{ __typename }');
      if (response.status === 200 && response.data?.__typename === 'Query') return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${proc.id} did not answer at ${proc.url} within ${timeoutMs} ms:\n${proc.output.slice(-30).join('\n')}`);
}

function stopGateway(proc: GatewayProcess, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return resolve();
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
    proc.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.child.kill('SIGTERM');
  });
}

// ---- the requests: the demo data's callers and their portal requests ----

async function discover(stack: Stack, signer: IdentitySigner): Promise<{ mix: Prepared[]; byKind: Map<Kind, Prepared[]> }> {
  const admin = await stack.as(ADMIN);
  const ask = async (query: string, variables?: Record<string, unknown>) => {
    const response = await graphql(stack.gatewayUrl, query, variables, admin);
    if (response.errors?.length || !response.data) throw new Error(`discovery query failed: ${JSON.stringify(response.errors ?? response.status)}`);
    return response.data as Record<string, any>;
  };
  const dossiers: { code: string; applicant: { personalNumber: string } | null; handlingAgency: { code: string; sector: string } | null }[] = [];
  for (const offset of [0, 100, 200]) {
    const page = await ask('query($offset: Int!) { dossiers(offset: $offset, limit: 100) { items { code applicant { personalNumber } handlingAgency { code sector } } } }', { offset });
    dossiers.push(...page.dossiers.items);
  }
  const enterprises: { headOfficeCommuneCode: string; legalRepresentative: { personalNumber: string } | null }[] =
    (await ask('{ enterprises(limit: 100) { items { headOfficeCommuneCode legalRepresentative { personalNumber } } } }')).enterprises.items;

  const callers = new Map<string, Caller>();
  const callerFor = async (identity: Identity): Promise<Caller> => {
    const key = `${identity.role}|${identity.subject}|${identity.agency ?? ''}`;
    let caller = callers.get(key);
    if (!caller) {
      // The identity exactly as our gateway reads it from the token's claims, so every gateway's subgraph calls carry the same one.
      const normalised: Identity = { role: identity.role, subject: identity.subject, agency: identity.agency, sector: identity.sector };
      caller = { identity: normalised, headers: { 'content-type': 'application/json', ...(await stack.as(normalised)), [IDENTITY_HEADER]: signer.tokenFor(normalised, stack.subgraphs.map((s) => s.name)) } };
      callers.set(key, caller);
    }
    return caller;
  };
  const prepare = async (kind: Kind, query: string, variables: Record<string, unknown>, identity: Identity): Promise<Prepared> =>
    ({ kind, variables, body: JSON.stringify({ query, variables }), caller: await callerFor(identity) });

  // The portal's own operations, each with the fragments it spreads, exactly as the portal sends them.
  const portal = buildManifest(readOperationSources(PORTAL_OPERATIONS)).operations;
  const operation = (name: string) => {
    const found = portal.find((o) => o.name === name);
    if (!found) throw new Error(`no operation ${name} in ${PORTAL_OPERATIONS}`);
    return found.body;
  };
  const overview = operation('CitizenOverview');
  const lookup = operation('DossierLookup');
  const inbox = operation('OfficerInbox');
  const byKind = new Map<Kind, Prepared[]>(Object.keys(MIX).map((k) => [k as Kind, []]));

  const people = [...new Set([
    ...dossiers.map((d) => d.applicant?.personalNumber),
    ...enterprises.map((e) => e.legalRepresentative?.personalNumber),
  ].filter((n): n is string => Boolean(n)))].slice(0, 200);
  for (const personalNumber of people) {
    byKind.get('citizen overview')!.push(await prepare('citizen overview', overview, { personalNumber }, { role: 'citizen', subject: personalNumber }));
  }
  for (const d of dossiers.filter((x) => x.applicant).slice(0, 200)) {
    byKind.get('dossier lookup')!.push(await prepare('dossier lookup', lookup, { code: d.code }, { role: 'citizen', subject: d.applicant!.personalNumber }));
  }
  const agencies = [...new Map(dossiers.filter((d) => d.handlingAgency).map((d) => [d.handlingAgency!.code, d.handlingAgency!])).values()];
  for (const agency of agencies) {
    const total: number = (await ask('query($a: String!) { dossiers(handlingAgencyCode: $a, limit: 1) { totalCount } }', { a: agency.code })).dossiers.totalCount;
    const officer: Identity = { role: 'officer', subject: `bench.officer.${agency.code}`, agency: agency.code, sector: agency.sector };
    for (const offset of [0, 20, 40].filter((o) => o === 0 || o < total)) {
      for (const statuses of [undefined, OPEN_STATUSES]) {
        byKind.get('officer inbox')!.push(await prepare('officer inbox', inbox, { agencyCode: agency.code, ...(statuses ? { statuses } : {}), offset, limit: 20 }, officer));
      }
    }
  }
  const communes = [...new Set(enterprises.map((e) => e.headOfficeCommuneCode))].sort();
  let analyst = 0;
  for (const commune of communes) {
    for (const status of ['ACTIVE', undefined]) {
      for (const offset of [0, 20]) {
        const identity: Identity = { role: 'analyst', subject: `bench.analyst.${(analyst++ % 3) + 1}` };
        byKind.get('analyst report')!.push(await prepare('analyst report', ANALYST_REPORT, { headOfficeCommuneCode: commune, ...(status ? { status } : {}), offset, limit: 20 }, identity));
      }
    }
  }
  for (const [kind, items] of byKind) if (!items.length) throw new Error(`the demo data gave no ${kind} requests`);
  const mix = interleave((Object.keys(MIX) as Kind[]).map((kind) => ({ weight: MIX[kind], items: byKind.get(kind)! })), 5000);
  return { mix, byKind };
}

/** Renews the identity headers (60-second tokens) while the bench runs. */
function renewIdentities(requests: Prepared[], signer: IdentitySigner, audience: string[]): () => void {
  const renew = () => {
    for (const caller of new Set(requests.map((r) => r.caller))) caller.headers[IDENTITY_HEADER] = signer.tokenFor(caller.identity, audience);
  };
  const timer = setInterval(renew, 10_000);
  return () => clearInterval(timer);
}

// ---- the same data from every gateway ----

interface Answer {
  status: number;
  data: unknown;
  errors: unknown;
}

async function ask(url: string, request: Prepared): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: request.caller.headers, body: request.body });
  const text = await response.text();
  let body: Record<string, any> = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  const errors = body.errors ?? body.extensions?.valueCompletion;
  return { status: response.status, data: body.data, errors };
}

/** Every distinct request of the mix, to every gateway: the same `data` (key order aside), no errors; else it throws. */
async function checkSameData(gateways: GatewayProcess[], requests: Prepared[]): Promise<Map<Prepared, string>> {
  const reference = new Map<Prepared, string>();
  const problems: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length && problems.length < 20) {
      const request = requests[next++];
      const answers = await Promise.all(gateways.map((g) => ask(g.url, request).catch((error: Error) => {
        const exited = g.child.exitCode ?? g.child.signalCode;
        throw new Error(`${g.id}: ${request.kind} ${JSON.stringify(request.variables)} → ${error.message} (${(error.cause as Error | undefined)?.message ?? 'no cause'})`
          + `${exited !== null ? `; it exited (${exited})` : ''}:\n${g.output.slice(-20).join('\n')}`);
      })));
      const [ours] = answers;
      for (let i = 0; i < gateways.length; i++) {
        const a = answers[i];
        if (a.status !== 200 || a.errors || a.data === null || a.data === undefined) {
          problems.push(`${gateways[i].id}: ${request.kind} ${JSON.stringify(request.variables)} → HTTP ${a.status}, errors ${JSON.stringify(a.errors)?.slice(0, 400)}`);
          continue;
        }
        if (i > 0 && canonicalJson(a.data) !== canonicalJson(ours.data)) {
          const difference = firstDifference(JSON.parse(canonicalJson(ours.data)), JSON.parse(canonicalJson(a.data)));
          problems.push(`${gateways[i].id} differs from ours: ${request.kind} ${JSON.stringify(request.variables)} at ${difference?.path}: ours ${JSON.stringify(difference?.left)?.slice(0, 200)}, ${gateways[i].id} ${JSON.stringify(difference?.right)?.slice(0, 200)}`);
        }
      }
      reference.set(request, canonicalJson(ours.data));
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  if (problems.length) throw new Error(`The gateways do not return the same data; not timing anything:\n  ${problems.join('\n  ')}`);
  return reference;
}

// ---- load ----

async function load(
  target: GatewayProcess, scenario: string, round: number, sequence: Prepared[], seconds: number, connections: number, subgraphPids: number[],
): Promise<Run> {
  const pids = processTree(target.child.pid!);
  let next = 0;
  let graphqlErrors = 0;
  let errorSample: string | undefined;
  let peak = rssBytes(pids);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssBytes(pids));
  }, 200);
  const gatewayCpuBefore = cpuMs(pids);
  const subgraphCpuBefore = cpuMs(subgraphPids);
  let result: any;
  try {
    result = await autocannon({
      url: target.url,
      method: 'POST',
      connections,
      duration: seconds,
      requests: [{
        setupRequest: (request: Record<string, unknown>) => {
          const prepared = sequence[next++ % sequence.length];
          return { ...request, method: 'POST', headers: prepared.caller.headers, body: prepared.body };
        },
        // A GraphQL error in a 200 answer: top-level `errors`, or Apollo's value-completion errors beside `data: null`.
        onResponse: (status: number, body: string) => {
          if (status >= 200 && status < 300 && (body.includes('"errors"') || body.includes('"valueCompletion"'))) {
            graphqlErrors++;
            errorSample ??= body.slice(0, 300);
          }
        },
      }],
    });
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, rssBytes(pids));
  const requests: number = result.requests.total;
  const perRequest = (ms: number) => (requests ? ms / requests : NaN);
  return {
    gateway: target.id as GatewayId,
    scenario,
    round,
    requests,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx ?? 0,
    transportErrors: (result.errors ?? 0) + (result.timeouts ?? 0),
    graphqlErrors,
    errorSample,
    peakRssBytes: peak,
    gatewayCpuMsPerRequest: perRequest(cpuMs(pids) - gatewayCpuBefore),
    subgraphCpuMsPerRequest: perRequest(cpuMs(subgraphPids) - subgraphCpuBefore),
  };
}

// ---- report ----

const LABELS: Record<GatewayId, string> = {
  ours: 'ours',
  apollo: 'plain @apollo/gateway',
  hive: 'Hive Gateway',
  'hive-jit': 'Hive Gateway --jit',
  'hive-router': 'Hive Gateway --hive-router-runtime',
};

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

interface Summary {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  idleRss: number;
  peakRss: number;
  gatewayCpu: number;
  subgraphCpu: number;
}

/** Medians over the rounds (errors summed, peak RSS the highest) of one gateway in one scenario. */
function summarise(runs: Run[], scenario: string, gateway: GatewayId, idleRss: number): Summary {
  const rs = runs.filter((r) => r.scenario === scenario && r.gateway === gateway);
  const med = (pick: (r: Run) => number) => median(rs.map(pick));
  return {
    rps: med((r) => r.rps),
    p50: med((r) => r.p50),
    p99: med((r) => r.p99),
    errors: rs.reduce((sum, r) => sum + r.non2xx + r.transportErrors + r.graphqlErrors, 0),
    idleRss,
    peakRss: Math.max(...rs.map((r) => r.peakRssBytes)),
    gatewayCpu: med((r) => r.gatewayCpuMsPerRequest),
    subgraphCpu: med((r) => r.subgraphCpuMsPerRequest),
  };
}

function printTables(runs: Run[], scenarios: string[], gateways: GatewayId[], idleRss: Map<GatewayId, number>, rounds: number): void {
  const summaries = new Map(scenarios.map((scenario) => [scenario, new Map(gateways.map((g) => [g, summarise(runs, scenario, g, idleRss.get(g) ?? NaN)]))]));
  for (const scenario of scenarios) {
    console.log(`\n### ${scenario} (median of ${rounds} round${rounds > 1 ? 's' : ''})\n`);
    console.log('| gateway | req/s | p50 ms | p99 ms | errors | RSS idle → peak MiB | gateway CPU ms/req | subgraphs CPU ms/req | stack req per CPU-s |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const g of gateways) {
      const x = summaries.get(scenario)!.get(g)!;
      console.log(`| ${LABELS[g]} | ${fixed(x.rps)} | ${fixed(x.p50, 1)} | ${fixed(x.p99, 1)} | ${x.errors} | ${mib(x.idleRss)} → ${mib(x.peakRss)} | ${fixed(x.gatewayCpu, 2)} | ${fixed(x.subgraphCpu, 2)} | ${fixed(stackPerCpuSecond(x))} |`);
    }
  }
  if (gateways.length < 2) return;
  console.log('\n### Ratios, ours ÷ each (same run; req/s and stack req per CPU-s above 1, the others below 1 are better for ours)\n');
  console.log('| ours ÷ | scenario | req/s | p50 | p99 | peak RSS | gateway CPU/req | stack req per CPU-s |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  // the strongest peer first: the headline
  const others = gateways.filter((x) => x !== 'ours').sort((a, b) => Number(b === HEADLINE_PEER) - Number(a === HEADLINE_PEER));
  for (const g of others) {
    for (const scenario of scenarios) {
      const ours = summaries.get(scenario)!.get('ours')!;
      const other = summaries.get(scenario)!.get(g)!;
      console.log(`| ${LABELS[g]} | ${scenario} | ${fixed(ours.rps / other.rps, 2)} | ${fixed(ours.p50 / other.p50, 2)} | ${fixed(ours.p99 / other.p99, 2)} | ${fixed(ours.peakRss / other.peakRss, 2)} | ${fixed(ours.gatewayCpu / other.gatewayCpu, 2)} | ${fixed(stackPerCpuSecond(ours) / stackPerCpuSecond(other), 2)} |`);
    }
  }
  if (gateways.includes(HEADLINE_PEER)) {
    const perRound = runs.filter((r) => r.scenario === scenarios[0] && r.gateway === 'ours').map((r) => {
      const peer = runs.find((x) => x.scenario === r.scenario && x.round === r.round && x.gateway === HEADLINE_PEER);
      return peer ? fixed(r.rps / peer.rps, 2) : '–';
    });
    console.log(`\nHeadline, ours ÷ ${LABELS[HEADLINE_PEER]}, ${scenarios[0]} req/s by round: ${perRound.join(', ')}.`);
  }
}

/** Requests per CPU-second of the whole stack (this gateway and the five subgraphs), from the CPU each used per request. */
function stackPerCpuSecond(x: Summary): number {
  return 1000 / (x.gatewayCpu + x.subgraphCpu);
}

function printRounds(runs: Run[]): void {
  console.log('\nEvery run, in the order run:\n');
  console.log('| round | scenario | gateway | requests | req/s | p50 ms | p99 ms | non-2xx | socket errors | GraphQL errors | peak RSS MiB | gw CPU ms/req |');
  console.log('|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of runs) {
    console.log(`| ${r.round} | ${r.scenario} | ${LABELS[r.gateway]} | ${r.requests} | ${fixed(r.rps)} | ${fixed(r.p50, 1)} | ${fixed(r.p99, 1)} | ${r.non2xx} | ${r.transportErrors} | ${r.graphqlErrors} | ${mib(r.peakRssBytes)} | ${fixed(r.gatewayCpuMsPerRequest, 2)} |`);
  }
  for (const r of runs.filter((x) => x.errorSample)) console.log(`GraphQL error in ${LABELS[r.gateway]}, round ${r.round}, ${r.scenario}: ${r.errorSample}`);
}

// ---- main ----

/** Which code was measured: the commit, and whether the work tree had changes (read-only git). */
function buildDescription(): string {
  const result = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8' });
  return result.status === 0 ? `git ${result.stdout.trim()}` : 'a tree outside git';
}

async function main() {
  const started = Date.now();
  const options = parseOptions();
  if (!options) return;
  const hive = [...options.gateways, options.cpuProf].some((g) => g?.startsWith('hive')) ? ensureHive() : undefined;
  // Embedded SQLite and the embedded bus in a data folder of its own, whatever this shell points elsewhere (Kafka, MySQL).
  const dataDir = process.env.BENCH_DATA_DIR ?? path.join(ROOT, '.data', `bench-gateways-${options.citizens}`);
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries({
    ...process.env,
    DATA_DIR: dataDir,
    DB_URL: '',
    KAFKA_BROKERS: '',
    HANDOFF_BUS_FILE: path.join(dataDir, 'handoff-bus.sqlite'),
  }).filter(([name]) => !name.endsWith('_DB_URL')));
  if (!(await isSeeded(env))) {
    console.log(`Seeding ${options.citizens} citizens into ${env.DATA_DIR}…`);
    await seedWithProgress({ citizens: options.citizens, env });
  }
  const ports = new Map(options.gateways.map((g, i) => [g, options.port + 10 + ALL_GATEWAYS.indexOf(g)] as const));
  const profilePort = options.port + 10 + ALL_GATEWAYS.length;
  for (const port of [options.port, ...Array.from({ length: 5 }, (_, i) => options.port + 1 + i), ...ports.values(), ...(options.cpuProf ? [profilePort] : [])]) {
    if (!(await portFree(port))) throw new Error(`port ${port} is in use (another bench?); choose others with --port`);
  }

  const stack = await startStack({ env, basePort: options.port, output: 'quiet' });
  const running: GatewayProcess[] = [];
  let stopRenewing = () => {};
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      stopRenewing();
      await Promise.all(spawned.map((g) => stopGateway(g)));
      await stack.stop();
    })());
  process.once('exit', () => {
    for (const g of spawned) g.child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the gateways and the stack…`);
      void stopAll().finally(() => process.exit(130));
    });
  }
  try {
    const signer = identitySignerFromEnv(env);
    const ctx: LaunchContext = { stack, env, workers: options.workers, hiveBin: hive?.bin };
    for (const g of options.gateways) running.push(launchGateway(g, ports.get(g)!, ctx));
    await Promise.all(running.map((g) => waitAnswering(g)));
    running.forEach(checkRouterRuntime);

    const { mix, byKind } = await discover(stack, signer);
    const distinct = [...byKind.values()].flat();
    stopRenewing = renewIdentities(distinct, signer, stack.subgraphs.map((s) => s.name));
    console.log(`\nChecking that every gateway returns the same data for the ${distinct.length} distinct requests of the mix…`);
    const answers = await checkSameData(running, distinct);
    // The repeated query: the overview of the citizen with the most to show.
    const overviews = byKind.get('citizen overview')!;
    const richest = overviews.reduce((best, r) => (answers.get(r)!.length > answers.get(best)!.length ? r : best), overviews[0]);
    const scenarios: { name: string; sequence: Prepared[] }[] = [
      { name: 'portal mix', sequence: mix },
      { name: 'identical query (one citizen\'s overview)', sequence: [richest] },
    ];

    const apolloVersion = versionOf(ROOT, '@apollo/gateway');
    console.log(`\nSame data from all ${running.length} gateways. Node ${process.version}; ${options.connections} connections; ${options.seconds} s per run;`
      + ` ${options.rounds} round(s), interleaved; ${options.workers} worker process(es) per gateway; SQLite demo data (${options.citizens} citizens).`);
    console.log(`Gateways: ours (gateway/dist/main.js, @apollo/gateway ${apolloVersion}), plain @apollo/gateway ${apolloVersion} (ApolloServer defaults,`
      + ` standalone server)${hive ? `, Hive Gateway ${hive.version} (its defaults; with --jit; with --hive-router-runtime, @graphql-hive/router-runtime ${hive.routerVersion})` : ''}.`);
    console.log('Not the same work: ours verifies every request\'s JWT (Authorization: Bearer), applies its operation limits and signs the caller\'s'
      + ` identity for the subgraphs; the others verify nothing and forward the ${IDENTITY_HEADER} header the load generator precomputed`
      + ' with the gateway\'s key. Every request carries both headers.');
    console.log(`Portal mix (${mix.length} requests in a fixed order, then again): ${(Object.keys(MIX) as Kind[])
      .map((k) => `${k} ${MIX[k]}% (${byKind.get(k)!.length} distinct, ${new Set(byKind.get(k)!.map((r) => answers.get(r))).size} distinct answers)`).join(', ')}.`);
    console.log(`Load generator (autocannon), subgraphs and gateways share this machine's ${os.cpus().length} cores (load average now`
      + ` ${os.loadavg()[0].toFixed(1)}); CPU ms/req is from /proc (user + system). Built from ${buildDescription()}.`);

    const subgraphPids = stack.subgraphs.map((s) => s.child.pid!).flatMap((pid) => processTree(pid));
    // Memory of each gateway started, supergraph loaded and the check's requests answered, before any load.
    const idleRss = new Map(running.map((g) => [g.id as GatewayId, rssBytes(processTree(g.child.pid!))]));
    const runs: Run[] = [];
    // every run's numbers are in the tables below ("Every run, in the order run"); the bar shows the last one meanwhile
    const bar = progressBar('Load runs', (options.warmup ? running.length : 0) + options.rounds * scenarios.length * running.length, { unit: 'runs' });
    try {
      if (options.warmup) {
        for (const g of running) {
          bar.increment(0, `warm-up, ${LABELS[g.id]}`);
          await load(g, 'warm-up', 0, mix, options.warmup, options.connections, subgraphPids);
          bar.increment();
        }
      }
      let last = '';
      for (let round = 1; round <= options.rounds; round++) {
        for (const scenario of scenarios) {
          for (const g of running) {
            bar.increment(0, `round ${round}, ${scenario.name}, ${LABELS[g.id]}${last}`);
            const run = await load(g, scenario.name, round, scenario.sequence, options.seconds, options.connections, subgraphPids);
            runs.push(run);
            last = ` (last: ${LABELS[run.gateway]} ${fixed(run.rps)} req/s, p99 ${fixed(run.p99, 1)} ms)`;
            bar.increment();
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        }
      }
    } finally {
      bar.stop();
    }
    printTables(runs, scenarios.map((x) => x.name), options.gateways, idleRss, options.rounds);
    if (options.gateways.some((g) => g.startsWith('hive'))) {
      console.log('\nHive Gateway shares identical in-flight subgraph requests by default (same URL, body and headers: its HTTP executor\'s'
        + ' deduplicateInflightRequests); with one query repeated on many connections that saves subgraph work (see subgraphs CPU ms/req).'
        + ' Neither Apollo gateway does.');
    }
    printRounds(runs);
    const failed = runs.filter((r) => r.non2xx + r.transportErrors + r.graphqlErrors > 0);
    if (failed.length) console.log(`\nWARNING: ${failed.length} run(s) had errors (see above).`);

    if (options.cpuProf) await profile(options.cpuProf, ctx, profilePort, mix, options, subgraphPids);
    if (options.cpuProfSubgraphs) await profileSubgraphs(stack, running[0], mix, options);
    console.log(`\nTotal time ${fixed((Date.now() - started) / 1000)} s.`);
  } finally {
    await stopAll();
  }
}

/** One more run of the mix against a fresh instance of a gateway (ours) under `node --cpu-prof`; prints where its time goes. */
async function profile(id: GatewayId, ctx: LaunchContext, port: number, mix: Prepared[], options: Options, subgraphPids: number[]) {
  const dir = path.join(ROOT, '.cache', 'bench-gateways', new Date().toISOString().replace(/[:.]/g, '-'));
  fs.mkdirSync(dir, { recursive: true });
  const proc = launchGateway(id, port, { ...ctx, workers: 1 }, ['--cpu-prof', '--cpu-prof-dir', dir]);
  let window: { fromUs: number; toUs: number } | undefined;
  try {
    await waitAnswering(proc);
    checkRouterRuntime(proc);
    if (options.warmup) await load(proc, 'warm-up', 0, mix, options.warmup, options.connections, subgraphPids);
    const nowUs = () => Number(process.hrtime.bigint() / 1000n);
    const fromUs = nowUs();
    const run = await load(proc, 'portal mix', 0, mix, options.seconds, options.connections, subgraphPids);
    window = { fromUs, toUs: nowUs() };
    console.log(`\n### ${LABELS[id]} under node --cpu-prof (one process), portal mix, ${options.seconds} s after ${options.warmup} s warm-up:`
      + ` ${fixed(run.rps)} req/s, p99 ${fixed(run.p99, 1)} ms (profiling slows it)`);
  } finally {
    await stopGateway(proc, 30_000);
  }
  const file = newestProfile(dir);
  if (!file) throw new Error(`no .cpuprofile written in ${dir}:\n${proc.output.slice(-20).join('\n')}`);
  const profile = readProfile(file);
  // Only the timed run (not the start, not the warm-up), when the profile's clock is the one measured here.
  const inProfile = window && window.fromUs >= profile.startTime && window.toUs <= profile.endTime;
  const summary = summariseProfile(profile, ROOT, 25, inProfile ? window : undefined);
  const busy = summary.totalMs - summary.idleMs;
  console.log(`\nProfile ${path.relative(ROOT, file)} (open in Chrome DevTools). ${inProfile ? 'The timed run only' : 'The whole process life (start and warm-up included)'}:`
    + ` ${fixed(summary.totalMs / 1000, 1)} s sampled, ${fixed(busy / 1000, 1)} s busy (${fixed((100 * busy) / summary.totalMs)} %).`);
  printProfile(summary);
}

/**
 * The five subgraphs restarted (same ports) under `node --cpu-prof`, one more run of the mix through our gateway
 * (already running, its connections re-established), then restarted again without it, which writes the profiles.
 */
async function profileSubgraphs(stack: Stack, ours: GatewayProcess, mix: Prepared[], options: Options) {
  const dir = path.join(ROOT, '.cache', 'bench-gateways', `${new Date().toISOString().replace(/[:.]/g, '-')}-subgraphs`);
  fs.mkdirSync(dir, { recursive: true });
  const names = stack.subgraphs.map((s) => s.name);
  for (const name of names) await stack.restartSubgraph(name, {}, ['--cpu-prof', '--cpu-prof-dir', dir]);
  const pids = stack.subgraphs.map((s) => s.child.pid!).flatMap((pid) => processTree(pid));
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  let window: { fromUs: number; toUs: number };
  try {
    if (options.warmup) await load(ours, 'warm-up', 0, mix, options.warmup, options.connections, pids);
    const fromUs = nowUs();
    const run = await load(ours, 'portal mix', 0, mix, options.seconds, options.connections, pids);
    window = { fromUs, toUs: nowUs() };
    console.log(`\n### The subgraphs under node --cpu-prof, portal mix through ours, ${options.seconds} s after ${options.warmup} s warm-up:`
      + ` ${fixed(run.rps)} req/s, subgraphs ${fixed(run.subgraphCpuMsPerRequest, 2)} CPU ms/req (profiling slows them)`);
  } finally {
    for (const name of names) await stack.restartSubgraph(name);
  }
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f));
  if (files.length !== names.length) throw new Error(`expected ${names.length} subgraph profiles in ${dir}, found ${files.length}`);
  const summaries = files.map((file) => {
    const profile = readProfile(file);
    const inProfile = window.fromUs >= profile.startTime && window.toUs <= profile.endTime;
    return summariseProfile(profile, ROOT, 10_000, inProfile ? window : undefined);
  });
  const summary = mergeSummaries(summaries);
  const busy = summary.totalMs - summary.idleMs;
  console.log(`\nProfiles in ${path.relative(ROOT, dir)}/, the five together, the timed run only: ${fixed(busy / 1000, 1)} s busy.`);
  printProfile(summary);
}

function printProfile(summary: ReturnType<typeof summariseProfile>) {
  console.log('\nSelf time by package (share of busy time):\n\n| where | ms | % |\n|---|---:|---:|');
  for (const line of summary.areas.slice(0, 15)) console.log(`| ${line.name} | ${fixed(line.ms)} | ${fixed(100 * line.share, 1)} |`);
  console.log('\nTop self-time frames:\n\n| function | ms | % |\n|---|---:|---:|');
  for (const line of summary.frames) console.log(`| ${line.name.replace(/\|/g, '\\|')} | ${fixed(line.ms)} | ${fixed(100 * line.share, 1)} |`);
  console.log('\nTop inclusive time (the function and what it calls; packages and our code):\n\n| function | ms | % |\n|---|---:|---:|');
  for (const line of summary.inclusive.slice(0, 20)) console.log(`| ${line.name.replace(/\|/g, '\\|')} | ${fixed(line.ms)} | ${fixed(100 * line.share, 1)} |`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
