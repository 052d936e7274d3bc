import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { Identity, mintDevToken, RunningSubgraph, startSubgraph } from '@onestop/platform';
import { s3TestEnv } from '@onestop/platform/testing';
import { singleWindow } from '@onestop/single-window';
import { civilStatus } from '@onestop/civil-status';
import { RunningGateway, startGateway } from '@onestop/gateway';
import { seedDemoData } from '../demo-data';
import { CENTER, procedureCode, TAX_OFFICE } from '../demo-data/reference';
import { ADMIN } from '../stack/stack';
import { SUPERGRAPH_PATH } from '../stack/subgraphs';
import { graphql, GraphQLResponse, runId, tempDir } from '../testing/helpers';
import { verifyDocumentCli } from '../cli/verify-document';

/**
 * Documents through the gateway, with single-window and civil-status served in this process (so coverage sees the
 * routes): one-time upload URLs, streaming uploads refused by content and size, papers linked to dossiers and reused
 * from the citizen's store, downloads authorised like the dossier and logged, an electronic result signed and
 * verified online and offline. The store is S3 (the test server) when there is one, else files under DATA_DIR.
 */
const s3 = s3TestEnv();
const env: Record<string, string> = {
  DATA_DIR: tempDir('documents'), DB_URL: '', DOCUMENT_MAX_BYTES: String(2 * 1024 * 1024),
  ...(s3 ? { ...s3, S3_BUCKET: `onestop-documents-${runId()}` } : { DOCUMENT_STORE: 'files' }),
};
const pdf = (text: string) => Buffer.concat([Buffer.from(`%PDF-1.4\n% ${text}\n`), randomBytes(4000), Buffer.from('\n%%EOF\n')]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MARRIAGE = procedureCode('1.000894');

const REGISTER = `mutation($input: SubmitDossierInput!) { registerDossierOnline(input: $input) {
  code digitised reusedData documents { hash kind origin reused mediaType size downloadUrl } missingPapers { kind } } }`;
const UPLOAD = 'mutation { requestDocumentUpload { url expiresAt maxBytes } }';

describe(`documents through the gateway (${s3 ? 'S3 store' : 'file store'})`, () => {
  const running: RunningSubgraph[] = [];
  let gatewayServer: RunningGateway;
  const saved = { ...process.env };
  let gateway = '';
  let base = '';
  const as = new Map<string, Record<string, string>>();
  let citizenA = '';
  let citizenB = '';

  const gql = (query: string, variables: Record<string, unknown> | undefined, who: string | null): Promise<GraphQLResponse> =>
    graphql(gateway, query, variables, who ? as.get(who) : undefined);
  const ok = (response: GraphQLResponse) => {
    expect(response.errors).toBeUndefined();
    return response.data!;
  };
  const put = (url: string, body: Buffer, who: string | null, type = 'application/pdf') =>
    fetch(new URL(url, base), { method: 'PUT', body, headers: { 'content-type': type, ...(who ? as.get(who) : {}) } });
  async function upload(who: string, body: Buffer): Promise<string> {
    const ticket = ok(await gql(UPLOAD, undefined, who)).requestDocumentUpload;
    const answer = await put(ticket.url, body, who);
    expect(answer.status).toBe(201);
    const stored = (await answer.json()) as { hash: string; mediaType: string; size: number };
    expect(stored).toEqual({ hash: sha(body), mediaType: 'application/pdf', size: body.length });
    return stored.hash;
  }
  const marriage = (applicant: string, documents: { kind: string; hash: string }[]) => ({
    input: { procedureCode: MARRIAGE, receivingAgencyCode: CENTER, channel: 'ONLINE', applicantName: 'Nguyễn Thị Hoa', applicantPersonalNumber: applicant, documents },
  });

  beforeAll(async () => {
    Object.assign(process.env, env);
    await seedDemoData({ citizens: 50, env });
    for (const definition of [singleWindow, civilStatus]) running.push(await startSubgraph(definition, { port: 0 }));
    gatewayServer = await startGateway({
      supergraphPath: SUPERGRAPH_PATH, port: 0, watch: false, subscriptions: false, responseCache: false, log: () => undefined,
      subgraphUrls: Object.fromEntries(running.map((subgraph) => [subgraph.name, subgraph.url])),
    });
    gateway = gatewayServer.url;
    base = new URL('/', gateway).toString();
    const stack = { as: async (identity: Identity) => ({ authorization: `Bearer ${await mintDevToken(identity, { env, ttlSeconds: 3600 })}` }) };
    as.set('admin', await stack.as(ADMIN));
    const people = ok(await gql('{ dossiers(limit: 100) { items { applicant { personalNumber } } } }', undefined, 'admin')).dossiers.items
      .map((d: { applicant: { personalNumber: string } | null }) => d.applicant?.personalNumber).filter(Boolean) as string[];
    [citizenA, citizenB] = [...new Set(people)];
    as.set('A', await stack.as({ role: 'citizen', subject: citizenA }));
    as.set('B', await stack.as({ role: 'citizen', subject: citizenB }));
    as.set('analyst', await stack.as({ role: 'analyst', subject: 'phantich.vo' }));
    as.set('taxOfficer', await stack.as({ role: 'officer', subject: 'thue.tranthib', agency: TAX_OFFICE, sector: 'TAX' } as Identity));
  }, 120_000);

  afterAll(async () => {
    await gatewayServer?.stop();
    for (const subgraph of running) await subgraph.stop();
    process.env = saved;
  });

  test('an upload URL works once, for the caller it was issued to, and only for PDF, JPEG or PNG within the limit', async () => {
    const ticket = ok(await gql(UPLOAD, undefined, 'A')).requestDocumentUpload;
    expect(ticket.url).toMatch(/^\/documents\/single-window\/upload\?token=/);
    expect(ticket.maxBytes).toBe(2 * 1024 * 1024);
    const refusal = async (answer: Response, status: number, code: string) => {
      expect(answer.status).toBe(status);
      expect(((await answer.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe(code);
    };
    await refusal(await put(ticket.url, pdf('x'), null), 401, 'UNAUTHENTICATED');
    await refusal(await put(ticket.url, pdf('x'), 'B'), 403, 'FORBIDDEN');
    await refusal(await put(ticket.url, Buffer.from('<html><script>alert(1)</script></html>'), 'A', 'application/pdf'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await refusal(await put(ticket.url, pdf('x'), 'A', 'multipart/form-data; boundary=x'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await refusal(await put(ticket.url, Buffer.concat([pdf('big'), Buffer.alloc(3 * 1024 * 1024)]), 'A'), 413, 'PAYLOAD_TOO_LARGE');
    // refused attempts leave the URL usable; a success uses it up
    expect((await put(ticket.url, pdf('fine'), 'A')).status).toBe(201);
    await refusal(await put(ticket.url, pdf('again'), 'A'), 409, 'CONFLICT');
    await refusal(await put('/documents/single-window/upload?token=' + 'x'.repeat(43), pdf('x'), 'A'), 403, 'FORBIDDEN');
    const analyst = await gql(UPLOAD, undefined, 'analyst');
    expect(analyst.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test('papers link to a dossier; digitisation and reuse come from the records; downloads follow the dossier and are logged', async () => {
    const paper = pdf('tờ khai đăng ký kết hôn');
    const hash = await upload('A', paper);
    const first = ok(await gql(REGISTER, marriage(citizenA, [{ kind: 'MARRIAGE_DECLARATION', hash }]), 'A')).registerDossierOnline;
    expect(first).toMatchObject({ digitised: true, reusedData: false, missingPapers: [] });
    expect(first.documents).toEqual([expect.objectContaining({ hash, kind: 'MARRIAGE_DECLARATION', origin: 'UPLOADED', reused: false, mediaType: 'application/pdf', size: paper.length })]);

    // without papers: nothing digitised, and form 02's list is the mandatory paper
    const bare = ok(await gql(REGISTER, marriage(citizenA, []), 'A')).registerDossierOnline;
    expect(bare).toMatchObject({ digitised: false, reusedData: false, missingPapers: [{ kind: 'MARRIAGE_DECLARATION' }] });

    // not the caller's upload and not in the applicant's store; a kind the procedure does not ask for
    const stranger = await gql(REGISTER, marriage(citizenB, [{ kind: 'MARRIAGE_DECLARATION', hash }]), 'B');
    expect(stranger.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.documents[0].hash' });
    const kind = await gql(REGISTER, marriage(citizenA, [{ kind: 'PASSPORT', hash }]), 'A');
    expect(kind.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.documents[0].kind' });

    // reused from the citizen's own store: not handed in again
    const second = ok(await gql(REGISTER, marriage(citizenA, [{ kind: 'MARRIAGE_DECLARATION', hash }]), 'A')).registerDossierOnline;
    expect(second).toMatchObject({ digitised: true, reusedData: true });
    expect(second.documents[0]).toMatchObject({ hash, origin: 'UPLOADED', reused: true });
    const store = ok(await gql('query($n: String!) { citizen(personalNumber: $n) { documents { hash reused } } }', { n: citizenA }, 'A')).citizen.documents;
    expect(store.filter((d: { hash: string }) => d.hash === hash)).toHaveLength(2);
    const othersStore = await gql('query($n: String!) { citizen(personalNumber: $n) { documents { hash } } }', { n: citizenA }, 'B');
    expect(othersStore.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // the papers can be added later too (before the officer receives it)
    const later = ok(await gql('mutation($c: String!, $d: [DocumentReferenceInput!]!) { attachDocuments(code: $c, documents: $d) { digitised reusedData missingPapers { kind } } }',
      { c: bare.code, d: [{ kind: 'MARRIAGE_DECLARATION', hash }] }, 'A')).attachDocuments;
    expect(later).toEqual({ digitised: true, reusedData: true, missingPapers: [] });
    const notHis = await gql('mutation($c: String!, $d: [DocumentReferenceInput!]!) { attachDocuments(code: $c, documents: $d) { code } }',
      { c: bare.code, d: [{ kind: 'MARRIAGE_DECLARATION', hash }] }, 'B');
    expect(notHis.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const url = first.documents[0].downloadUrl;
    const download = await fetch(new URL(url, base), { headers: as.get('A') });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await download.arrayBuffer()).equals(paper)).toBe(true);
    expect((await fetch(new URL(url, base), { headers: as.get('analyst') })).status).toBe(403);
    expect((await fetch(new URL(url, base), { headers: as.get('B') })).status).toBe(404);
    expect((await fetch(new URL(url, base), { headers: as.get('taxOfficer') })).status).toBe(404);
    expect((await fetch(new URL(url, base))).status).toBe(401);
    const log = ok(await gql('query($n: String!) { citizen(personalNumber: $n) { singleWindowPersonalDataAccessLog(limit: 100) { items { fields accessorRole action } } } }', { n: citizenA }, 'A'));
    expect(log.citizen.singleWindowPersonalDataAccessLog.items).toEqual(expect.arrayContaining([
      expect.objectContaining({ fields: 'Document.content:MARRIAGE_DECLARATION', accessorRole: 'citizen', action: 'read' }),
      expect.objectContaining({ fields: expect.stringContaining('Citizen.documents'), accessorRole: 'citizen', action: 'read' }),
    ]));
  });

  test('an electronic result is signed by the agency system, verified by anyone without its content, and offline from the file', async () => {
    const dossier = ok(await gql(REGISTER, marriage(citizenA, []), 'A')).registerDossierOnline;
    ok(await gql('mutation($c: String!) { acceptDossier(code: $c) { status } }', { c: dossier.code }, 'admin'));
    // form 01 records what is missing; form 02 lists it from the records
    ok(await gql('mutation($c: String!) { requestSupplement(input: { code: $c, reason: "Thiếu giấy tờ" }) { status } }', { c: dossier.code }, 'admin'));
    const notes = ok(await gql('query($c: String!) { dossier(code: $c) { timeline { action note } } }', { c: dossier.code }, 'admin')).dossier.timeline;
    expect(notes.find((e: { action: string }) => e.action === 'RECEIVED').note).toBe('Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01); thành phần hồ sơ: 0; còn thiếu: Tờ khai đăng ký kết hôn');
    expect(notes.find((e: { action: string }) => e.action === 'SUPPLEMENT_REQUESTED').note).toBe('Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02): Thiếu giấy tờ; còn thiếu: Tờ khai đăng ký kết hôn; clock paused');
    ok(await gql('mutation($c: String!) { receiveSupplement(code: $c) { status } }', { c: dossier.code }, 'admin'));
    ok(await gql('mutation($c: String!) { resolveDossier(code: $c) { status } }', { c: dossier.code }, 'admin'));
    const RETURN = 'mutation($c: String!) { returnResult(input: { code: $c, channel: ELECTRONIC }) { status electronicResult } }';
    expect((await gql(RETURN, { c: dossier.code }, 'admin')).errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NO_ELECTRONIC_RESULT' });

    const certificate = pdf('giấy chứng nhận kết hôn');
    const hash = await upload('admin', certificate);
    const ISSUE = 'mutation($c: String!, $h: String!) { issueResultDocument(code: $c, kind: "MARRIAGE_CERTIFICATE", hash: $h) { origin issuer kind } }';
    expect((await gql(ISSUE, { c: dossier.code, h: hash }, 'A')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await gql(ISSUE, { c: dossier.code, h: sha(Buffer.from('nothing')) }, 'admin')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(ok(await gql(ISSUE, { c: dossier.code, h: hash }, 'admin')).issueResultDocument).toEqual({ origin: 'ISSUED', issuer: 'single-window', kind: 'MARRIAGE_CERTIFICATE' });
    expect(ok(await gql(RETURN, { c: dossier.code }, 'admin')).returnResult).toEqual({ status: 'RETURNED', electronicResult: true });

    const VERIFY = 'query($h: String!) { verifyDocument(hash: $h) { hash genuine issuer agencyCode issuedAt kind mediaType size signature } }';
    const started = performance.now();
    const verified = ok(await gql(VERIFY, { h: hash }, null)).verifyDocument;
    const verifyMs = performance.now() - started;
    expect(verified).toMatchObject({ genuine: true, issuer: 'single-window', kind: 'MARRIAGE_CERTIFICATE', size: certificate.length });
    expect(verifyMs).toBeLessThan(2000);
    expect(ok(await gql(VERIFY, { h: sha(pdf('forged')) }, null)).verifyDocument).toMatchObject({ genuine: false, issuer: null, signature: null });
    expect((await gql(VERIFY, { h: 'nope' }, null)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // offline: the file, verifyDocument's answer and the published public key
    const dir = tempDir('verify-offline');
    const file = path.join(dir, 'certificate.pdf');
    fs.writeFileSync(file, certificate);
    fs.writeFileSync(path.join(dir, 'signature.json'), JSON.stringify({ data: { verifyDocument: verified } }));
    const publicKey = path.join(env.DATA_DIR, 'keys', 'single-window.pub.pem');
    const args = [file, '--signature', path.join(dir, 'signature.json'), '--public-key', publicKey];
    expect(await verifyDocumentCli(args)).toMatchObject({ code: 0, output: expect.stringContaining('GENUINE: MARRIAGE_CERTIFICATE issued by single-window') });
    fs.appendFileSync(file, 'x');
    expect(await verifyDocumentCli(args)).toMatchObject({ code: 1, output: expect.stringContaining('NOT GENUINE') });
    fs.writeFileSync(file, certificate);
    const otherKey = path.join(env.DATA_DIR, 'keys', 'land.pub.pem');
    expect(await verifyDocumentCli([file, '--signature', path.join(dir, 'signature.json'), '--public-key', otherKey])).toMatchObject({ code: 1 });
    expect((await verifyDocumentCli([])).code).toBe(2);
    console.log(`verifyDocument through the gateway: ${verifyMs.toFixed(1)} ms`);
  });

  test('the demo data has documents: papers (PDFs, PNG scans), reuse and signed results, stored and served', async () => {
    const items = ok(await gql('{ dossiers(limit: 60, statuses: [RETURNED]) { items { code digitised reusedData electronicResult documents { hash kind origin reused mediaType downloadUrl } } } }', undefined, 'admin')).dossiers.items;
    type Doc = { hash: string; origin: string; reused: boolean; mediaType: string; downloadUrl: string };
    const all: (Doc & { dossier: { digitised: boolean; reusedData: boolean; electronicResult: boolean } })[] = items.flatMap((d: { documents: Doc[] }) => d.documents.map((doc) => ({ ...doc, dossier: d })));
    for (const d of items) {
      expect(d.digitised).toBe(d.documents.some((doc: Doc) => doc.origin !== 'ISSUED' || doc.reused));
      expect(d.reusedData).toBe(d.documents.some((doc: Doc) => doc.reused));
      expect(d.electronicResult).toBe(d.documents.some((doc: Doc) => doc.origin === 'ISSUED' && !doc.reused));
    }
    const issued = all.find((doc) => doc.origin === 'ISSUED' && !doc.reused)!;
    expect(ok(await gql('query($h: String!) { verifyDocument(hash: $h) { genuine issuer } }', { h: issued.hash }, null)).verifyDocument).toEqual({ genuine: true, issuer: 'single-window' });
    const file = await fetch(new URL(issued.downloadUrl, base), { headers: as.get('admin') });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const scan = all.find((doc) => doc.mediaType === 'image/png')!;
    const png = await fetch(new URL(scan.downloadUrl, base), { headers: as.get('admin') });
    expect(sha(Buffer.from(await png.arrayBuffer()))).toBe(scan.hash);
  });
});
