import fs from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DocumentSignature, verifyDocumentFile } from '@onestop/platform';

const USAGE = `Usage: npm run verify-document -- <file> --signature <signature.json> --public-key <issuer.pub.pem>

Checks offline, without the graph, that <file> is an electronic result its issuer signed and that it is unaltered.
<signature.json> is verifyDocument's answer (hash, mediaType, size, kind, issuer, agencyCode, issuedAt, signature),
as JSON, alone or under data.verifyDocument; <issuer.pub.pem> is the issuing system's published Ed25519 public key
(the handoff key, e.g. single-window.pub.pem). Exit status 0 when genuine, 1 when not, 2 on a usage error.`;

export async function verifyDocumentCli(argv: string[]): Promise<{ code: number; output: string }> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { signature: { type: 'string' }, 'public-key': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return { code: 0, output: USAGE };
  const file = positionals[0];
  if (!file || !values.signature || !values['public-key']) return { code: 2, output: USAGE };
  const parsed = JSON.parse(fs.readFileSync(values.signature, 'utf8')) as { data?: { verifyDocument?: DocumentSignature } } & DocumentSignature;
  const signed = parsed.data?.verifyDocument ?? parsed;
  if (!signed.signature) return { code: 1, output: `NOT GENUINE: ${values.signature} carries no signature (the graph knows no issued document of that hash)` };
  const publicKey = createPublicKey(fs.readFileSync(values['public-key']));
  const verdict = await verifyDocumentFile(file, { ...signed, issuedAt: new Date(signed.issuedAt).toISOString() }, publicKey);
  return verdict.genuine
    ? { code: 0, output: `GENUINE: ${signed.kind} issued by ${verdict.issuer} for agency ${verdict.agencyCode} at ${verdict.issuedAt}; SHA-256 ${signed.hash}` }
    : { code: 1, output: `NOT GENUINE: ${verdict.reason}` };
}

if (require.main === module) {
  verifyDocumentCli(process.argv.slice(2)).then(({ code, output }) => {
    (code === 0 ? console.log : console.error)(output);
    process.exit(code);
  }, (error) => {
    console.error(String((error as Error).message ?? error));
    process.exit(2);
  });
}
