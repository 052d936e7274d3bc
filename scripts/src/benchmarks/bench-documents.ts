import fs from 'node:fs';
import path from 'node:path';
import { createPublicKey } from 'node:crypto';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { DocumentSignature, Identity, verifyDocumentFile } from '@onestop/platform';
import { seedDemoData } from '../demo-data';
import { ADMIN, startStack } from '../stack/stack';
import { graphql, tempDir } from '../testing/helpers';

/**
 * `npm run bench:documents -- [--uploads 10] [--mb 20] [--store files|s3]`: that many concurrent uploads of that size
 * through the gateway to single-window (separate processes, as deployed): throughput, and the gateway's and the
 * subgraph's RSS over idle (streaming keeps it flat); then the time to verify a result document, online and offline.
 * With `--store s3`, S3_ENDPOINT / S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY name the server.
 */
function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** `bytes` of a PDF-looking body, produced as it is sent (the load generator holds no file either). */
function body(bytes: number, seed: number): Readable {
  let sent = 0;
  const filler = Buffer.alloc(256 * 1024, 0x20 + (seed % 64));
  return new Readable({
    read() {
      if (sent >= bytes) return this.push(null);
      const chunk = sent === 0 ? Buffer.concat([Buffer.from(`%PDF-1.7\n%${seed}\n`), filler]).subarray(0, Math.min(filler.length, bytes)) : filler.subarray(0, Math.min(filler.length, bytes - sent));
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

async function main() {
  const { values } = parseArgs({ options: { uploads: { type: 'string', default: '10' }, mb: { type: 'string', default: '20' }, store: { type: 'string', default: 'files' } } });
  const uploads = Number(values.uploads);
  const bytes = Number(values.mb) * 1024 * 1024;
  const env: Record<string, string> = {
    DATA_DIR: tempDir('bench-documents'), DB_URL: '', DOCUMENT_MAX_BYTES: String(bytes + 1024 * 1024), LOG_LEVEL: 'warn',
    DOCUMENT_STORE: values.store === 's3' ? 's3' : 'files', ...(values.store === 's3' ? { S3_BUCKET: `onestop-bench-${Date.now()}` } : {}),
  };
  await seedDemoData({ citizens: 50, env });
  const stack = await startStack({ env, basePort: 14600, output: 'quiet' });
  try {
    const gateway = stack.gatewayUrl;
    const base = new URL('/', gateway);
    const admin = await stack.as(ADMIN);
    const found = await graphql(gateway, '{ dossiers(limit: 5) { items { applicant { personalNumber } } } }', undefined, admin);
    const citizen = found.data!.dossiers.items.find((d: { applicant: unknown }) => d.applicant).applicant.personalNumber as string;
    const who = await stack.as({ role: 'citizen', subject: citizen } as Identity);
    const ticket = async (headers: Record<string, string>) =>
      (await graphql(gateway, 'mutation { requestDocumentUpload { url } }', undefined, headers)).data!.requestDocumentUpload.url as string;
    const put = async (url: string, stream: Readable, headers: Record<string, string>) => {
      const answer = await fetch(new URL(url, base), { method: 'PUT', body: Readable.toWeb(stream) as ReadableStream, duplex: 'half', headers: { 'content-type': 'application/pdf', ...headers } } as RequestInit);
      if (answer.status !== 201) throw new Error(`upload answered ${answer.status}: ${await answer.text()}`);
      return (await answer.json()) as { hash: string; size: number };
    };
    const gatewayPid = stack.gateway.child.pid!;
    const subgraphPid = stack.subgraphs.find((s) => s.name === 'single-window')!.child.pid!;
    // warm up: one small upload through every path, then let the processes settle
    await put(await ticket(who), body(64 * 1024, 0), who);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idle = { gateway: rssMiB(gatewayPid), subgraph: rssMiB(subgraphPid) };
    const peak = { ...idle };
    const sampler = setInterval(() => {
      peak.gateway = Math.max(peak.gateway, rssMiB(gatewayPid));
      peak.subgraph = Math.max(peak.subgraph, rssMiB(subgraphPid));
    }, 25);
    const urls = await Promise.all(Array.from({ length: uploads }, () => ticket(who)));
    const started = performance.now();
    const stored = await Promise.all(urls.map((url, i) => put(url, body(bytes, i + 1), who)));
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (stored.some((s) => s.size !== bytes) || new Set(stored.map((s) => s.hash)).size !== uploads) throw new Error('an upload was not stored whole');
    const mb = (uploads * bytes) / 1e6;

    // a result document: issued on a dossier, then verified through the gateway and offline
    const dossier = (await graphql(gateway, '{ dossiers(limit: 50, statuses: [RESOLVED, IN_APPRAISAL]) { items { code } } }', undefined, admin)).data!.dossiers.items[0].code as string;
    const resultUrl = await ticket(admin);
    const result = await put(resultUrl, body(200 * 1024, 999), admin);
    const issued = await graphql(gateway, 'mutation($c: String!, $h: String!) { issueResultDocument(code: $c, kind: "CERTIFICATE", hash: $h) { origin } }', { c: dossier, h: result.hash }, admin);
    if (issued.errors) throw new Error(JSON.stringify(issued.errors));
    const VERIFY = 'query($h: String!) { verifyDocument(hash: $h) { hash genuine issuer agencyCode issuedAt kind mediaType size signature } }';
    const times: number[] = [];
    let verdict: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      verdict = (await graphql(gateway, VERIFY, { h: result.hash })).data!.verifyDocument;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const file = path.join(env.DATA_DIR, 'result.pdf');
    await new Promise<void>((resolve, reject) => body(200 * 1024, 999).pipe(fs.createWriteStream(file)).on('finish', resolve).on('error', reject));
    const publicKey = createPublicKey(fs.readFileSync(path.join(env.DATA_DIR, 'keys', 'single-window.pub.pem')));
    const t0 = performance.now();
    const offline = await verifyDocumentFile(file, { ...(verdict as unknown as DocumentSignature), issuedAt: new Date(String(verdict.issuedAt)).toISOString() }, publicKey);
    const offlineMs = performance.now() - t0;

    console.log(`store: ${env.DOCUMENT_STORE}`);
    console.log(`${uploads} concurrent uploads of ${values.mb} MiB through the gateway: ${seconds.toFixed(2)} s, ${(mb / seconds).toFixed(1)} MB/s`);
    console.log(`RSS gateway: idle ${idle.gateway.toFixed(0)} MiB, peak ${peak.gateway.toFixed(0)} MiB (+${(peak.gateway - idle.gateway).toFixed(0)} MiB)`);
    console.log(`RSS single-window: idle ${idle.subgraph.toFixed(0)} MiB, peak ${peak.subgraph.toFixed(0)} MiB (+${(peak.subgraph - idle.subgraph).toFixed(0)} MiB)`);
    console.log(`verifyDocument through the gateway: genuine=${String(verdict.genuine)}, p50 ${times[25].toFixed(1)} ms, p99 ${times[49].toFixed(1)} ms (50 calls)`);
    console.log(`offline verification of the 200 KiB file: ${offline.genuine ? 'genuine' : 'NOT genuine'}, ${offlineMs.toFixed(1)} ms`);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
