import path from 'node:path';
import { parseArgs } from 'node:util';
import { isSeeded } from '../demo-data';
import { seedWithProgress } from '../cli/seed';
import { IDENTITY_HEADER, identitySignerFromEnv } from '@onestop/platform';
import { ADMIN, Stack, startStack } from '../stack/stack';
import { ROOT } from '../stack/subgraphs';
import { graphql } from '../testing/helpers';

// autocannon ships no types
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<any>;

const PORTAL_QUERY = `query Portal($personalNumber: String!) {
  citizen(personalNumber: $personalNumber) {
    fullName birthDate
    dossiers { items { code status appointmentAt procedure { name } } }
    landRights { items { certificateSerial parcel { id area usePurposeName } } }
    taxObligations { items { kindName amount status } }
  }
}`;

const DIRECT_QUERY = 'query One($personalNumber: String!) { citizen(personalNumber: $personalNumber) { fullName birthDate sex permanentAddress } }';

interface Result {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * Each request carries a different citizen, as real traffic does, signed in as that citizen (security on):
 * `headersOf` gives the citizen's Authorization header (or the gateway's identity header, straight to a subgraph).
 */
async function load(
  name: string, url: string, query: string, numbers: string[], seconds: number, connections: number,
  headersOf: (personalNumber: string) => Record<string, string>,
): Promise<Result> {
  let next = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    requests: [{
      setupRequest: (request: Record<string, unknown>) => {
        const personalNumber = numbers[next++ % numbers.length];
        return {
          ...request,
          headers: { 'content-type': 'application/json', ...headersOf(personalNumber) },
          body: JSON.stringify({ query, variables: { personalNumber } }),
        };
      },
    }],
  });
  return {
    name,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + (result.non2xx ?? 0),
  };
}

async function main() {
  const { values } = parseArgs({
    options: { seconds: { type: 'string' }, connections: { type: 'string' }, citizens: { type: 'string' }, 'security-ratio': { type: 'boolean' } },
  });
  const seconds = Number(values.seconds ?? 10);
  const connections = Number(values.connections ?? 20);
  const citizens = Number(values.citizens ?? process.env.BENCH_CITIZENS ?? 5000);
  const env = { DATA_DIR: process.env.BENCH_DATA_DIR ?? path.join(ROOT, '.data', `bench-${citizens}`), DB_URL: process.env.DB_URL ?? '' };
  if (!(await isSeeded(env))) {
    console.log(`Seeding ${citizens} citizens into ${env.DB_URL || env.DATA_DIR}…`);
    await seedWithProgress({ citizens, env });
  }
  if (values['security-ratio']) return securityRatio(env, seconds, connections);
  const stack = await startStack({ env, basePort: 4600, output: 'quiet' });
  try {
    const admin = await stack.as(ADMIN);
    const sample = await graphql(stack.gatewayUrl, '{ dossiers(limit: 100) { items { applicant { personalNumber } } } }', undefined, admin);
    const numbers = [...new Set<string>(sample.data!.dossiers.items.map((d: any) => d.applicant?.personalNumber).filter(Boolean))];
    if (numbers.length < 10) throw new Error('not enough sample citizens');
    const check = await graphql(stack.gatewayUrl, PORTAL_QUERY, { personalNumber: numbers[0] }, admin);
    if (check.errors) throw new Error(`portal query failed: ${JSON.stringify(check.errors)}`);

    const tokens = new Map<string, Record<string, string>>();
    for (const n of numbers) tokens.set(n, await stack.as({ role: 'citizen', subject: n }));
    const asCitizen = (n: string) => tokens.get(n)!;
    const signer = identitySignerFromEnv(env);
    const viaGateway = (n: string) => ({ [IDENTITY_HEADER]: signer.tokenFor({ role: 'citizen', subject: n }, 'civil-status') });
    const civilStatus = stack.subgraphs.find((s) => s.name === 'civil-status')!;
    console.log(`\n${numbers.length} distinct citizens; ${connections} connections; ${seconds} s per run; ${env.DB_URL ? 'MySQL' : 'SQLite'}`);
    await load('warm-up', stack.gatewayUrl, PORTAL_QUERY, numbers, 2, connections, asCitizen);
    const results = [
      await load('portal query via gateway (4 subgraphs)', stack.gatewayUrl, PORTAL_QUERY, numbers, seconds, connections, asCitizen),
      await load('citizen query straight to civil-status', civilStatus.url, DIRECT_QUERY, numbers, seconds, connections, viaGateway),
      await load('citizen query via gateway (1 subgraph)', stack.gatewayUrl, DIRECT_QUERY, numbers, seconds, connections, asCitizen),
    ];
    console.log('\n| run | requests | req/s | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|');
    for (const r of results) console.log(`| ${r.name} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
  } finally {
    await stack.stop();
  }
}

/** Distinct applicants of recent dossiers: the citizens whose portal requests the load replays. */
async function sampleCitizens(stack: Stack): Promise<string[]> {
  const sample = await graphql(stack.gatewayUrl, '{ dossiers(limit: 100) { items { applicant { personalNumber } } } }', undefined, await stack.as(ADMIN));
  const numbers = [...new Set<string>(sample.data!.dossiers.items.map((d: any) => d.applicant?.personalNumber).filter(Boolean))];
  if (numbers.length < 10) throw new Error('not enough sample citizens');
  return numbers;
}

/**
 * What the security costs: the portal query through the gateway with everything on (each request signed in as its
 * citizen: JWT, limits, signed identity, authorization, personal-data checks and access log) against the baseline with
 * all of it off (INSECURE_NO_SECURITY=1), alternating on/off/on/off in one run; prints req/s, p50/p99 and the ratio.
 */
async function securityRatio(env: NodeJS.ProcessEnv, seconds: number, connections: number) {
  const rounds: Result[] = [];
  for (const mode of ['on', 'off', 'on', 'off'] as const) {
    const stack = await startStack({ env: { ...env, ...(mode === 'off' ? { INSECURE_NO_SECURITY: '1' } : {}) }, basePort: 4600, output: 'quiet' });
    try {
      const numbers = mode === 'on' ? await sampleCitizens(stack) : await (async () => {
        const sample = await graphql(stack.gatewayUrl, '{ dossiers(limit: 100) { items { applicant { personalNumber } } } }');
        return [...new Set<string>(sample.data!.dossiers.items.map((d: any) => d.applicant?.personalNumber).filter(Boolean))];
      })();
      const tokens = new Map<string, Record<string, string>>();
      if (mode === 'on') for (const n of numbers) tokens.set(n, await stack.as({ role: 'citizen', subject: n }));
      const headersOf = (n: string) => tokens.get(n) ?? {};
      const check = await graphql(stack.gatewayUrl, PORTAL_QUERY, { personalNumber: numbers[0] }, headersOf(numbers[0]));
      if (check.errors) throw new Error(`portal query failed with security ${mode}: ${JSON.stringify(check.errors)}`);
      await load('warm-up', stack.gatewayUrl, PORTAL_QUERY, numbers, 2, connections, headersOf);
      rounds.push(await load(`security ${mode}`, stack.gatewayUrl, PORTAL_QUERY, numbers, seconds, connections, headersOf));
    } finally {
      await stack.stop();
    }
  }
  console.log(`\nPortal query via gateway (4 subgraphs), ${connections} connections, ${seconds} s per round, ${env.DB_URL ? 'MySQL' : 'SQLite'}`);
  console.log('\n| round | requests | req/s | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|');
  for (const r of rounds) console.log(`| ${r.name} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
  const mean = (mode: string) => {
    const picked = rounds.filter((r) => r.name === `security ${mode}`);
    return picked.reduce((sum, r) => sum + r.rps, 0) / picked.length;
  };
  console.log(`\nsecurity on / off throughput: ${(mean('on') / mean('off')).toFixed(2)} (${mean('on').toFixed(0)} vs ${mean('off').toFixed(0)} req/s)`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
