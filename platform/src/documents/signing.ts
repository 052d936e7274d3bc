import { createHash, KeyObject, sign, verify } from 'node:crypto';
import fs from 'node:fs';
import { HASH_PATTERN } from './store';

/**
 * What an agency signs when it issues a result electronically: the content's hash and the metadata that make it a
 * result. The signature is detached (the file is unchanged), Ed25519 with the agency's handoff key.
 */
export interface IssuedDocument {
  hash: string;
  mediaType: string;
  size: number;
  /** What it is: extract, certificate, licence… */
  kind: string;
  /** The issuing agency, as in the handoff key ring (its public key is `<issuer>.pub.pem`). */
  issuer: string;
  /** The agency (code) on whose behalf it was issued, e.g. H99.DATDAI.00. */
  agencyCode: string;
  /** ISO 8601, UTC. */
  issuedAt: string;
}

/** A signed result as it travels beside the file (the offline CLI reads this). */
export interface DocumentSignature extends IssuedDocument {
  /** base64 Ed25519 over `signedBytes`. */
  signature: string;
}

const DOMAIN = 'onestop-document-v1';

/** The exact bytes signed: a domain tag, then the fields in a fixed order (no JSON key-order ambiguity). */
export function signedBytes(d: IssuedDocument): Buffer {
  return Buffer.from([DOMAIN, d.hash, d.mediaType, String(d.size), d.kind, d.issuer, d.agencyCode, d.issuedAt].join('\n'), 'utf8');
}

export function signDocument(document: IssuedDocument, privateKey: KeyObject): DocumentSignature {
  return { ...document, signature: sign(null, signedBytes(document), privateKey).toString('base64') };
}

export function signatureValid(signed: DocumentSignature, publicKey: KeyObject): boolean {
  if (!HASH_PATTERN.test(signed.hash)) return false;
  try {
    return verify(null, signedBytes(signed), publicKey, Buffer.from(signed.signature, 'base64'));
  } catch {
    return false;
  }
}

/** SHA-256 of a file, streamed. */
export async function hashFile(file: string): Promise<{ hash: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { hash: hash.digest('hex'), size };
}

export type OfflineVerdict = { genuine: true; issuer: string; agencyCode: string; issuedAt: string; kind: string } | { genuine: false; reason: string };

/** The file is the one the signature names, unaltered, and the signature is the issuer's. */
export async function verifyDocumentFile(file: string, signed: DocumentSignature, publicKey: KeyObject): Promise<OfflineVerdict> {
  const { hash, size } = await hashFile(file);
  if (hash !== signed.hash || size !== signed.size) return { genuine: false, reason: `the file's SHA-256 ${hash} (${size} bytes) is not the signed ${signed.hash} (${signed.size} bytes)` };
  if (!signatureValid(signed, publicKey)) return { genuine: false, reason: `the signature is not ${signed.issuer}'s over this document` };
  return { genuine: true, issuer: signed.issuer, agencyCode: signed.agencyCode, issuedAt: signed.issuedAt, kind: signed.kind };
}
