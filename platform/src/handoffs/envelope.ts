import { createHash, randomUUID, sign, verify, KeyObject } from 'node:crypto';

/** One JSON envelope for every handoff between agencies (X-Road style: signed by the sending member). */
export interface Envelope<P = Record<string, unknown>> {
  messageId: string;
  /** The dossier code: correlation id and Kafka key, so one dossier's messages stay in order. */
  correlationId: string;
  sender: string;
  recipient: string;
  messageType: string;
  schemaVersion: number;
  issuedAt: string;
  officerId: string | null;
  payload: P;
  /** base64url SHA-256 of the payload's canonical JSON. */
  payloadHash: string;
  /** base64url Ed25519 signature of the canonical JSON of every other field. */
  signature: string;
}

export type UnsignedEnvelope<P = Record<string, unknown>> = Omit<Envelope<P>, 'payloadHash' | 'signature'>;

/** JSON with object keys sorted at every level: the bytes that are hashed and signed. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('base64url');
}

function signingInput(envelope: Omit<Envelope, 'signature'>): Buffer {
  return Buffer.from(canonicalJson(envelope));
}

export function signEnvelope<P>(unsigned: UnsignedEnvelope<P>, privateKey: KeyObject): Envelope<P> {
  const withHash = { ...unsigned, payloadHash: payloadHash(unsigned.payload) };
  const signature = sign(null, signingInput(withHash as Omit<Envelope, 'signature'>), privateKey).toString('base64url');
  return { ...withHash, signature };
}

/** True when the payload hash matches and the signature verifies under the sender's public key. */
export function verifyEnvelope(envelope: Envelope, publicKey: KeyObject): boolean {
  if (payloadHash(envelope.payload) !== envelope.payloadHash) return false;
  const { signature, ...rest } = envelope;
  try {
    return verify(null, signingInput(rest), publicKey, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

export function newMessageId(): string {
  return randomUUID();
}

const ENVELOPE_FIELDS: [keyof Envelope, string][] = [
  ['messageId', 'string'], ['correlationId', 'string'], ['sender', 'string'], ['recipient', 'string'],
  ['messageType', 'string'], ['schemaVersion', 'number'], ['issuedAt', 'string'], ['payload', 'object'],
  ['payloadHash', 'string'], ['signature', 'string'],
];

/** Parses bytes off the wire into an envelope, or says what is wrong with them. */
export function parseEnvelope(raw: Buffer | string | null): { ok: true; envelope: Envelope } | { ok: false; reason: string } {
  if (raw === null) return { ok: false, reason: 'empty message' };
  let value: unknown;
  try {
    value = JSON.parse(raw.toString());
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'not a JSON object' };
  const record = value as Record<string, unknown>;
  for (const [field, type] of ENVELOPE_FIELDS) {
    const actual = record[field] === null ? 'null' : typeof record[field];
    if (actual !== type) return { ok: false, reason: `envelope field ${field} must be a ${type}` };
  }
  if (record.officerId !== undefined && record.officerId !== null && typeof record.officerId !== 'string') {
    return { ok: false, reason: 'envelope field officerId must be a string or null' };
  }
  return { ok: true, envelope: { ...(record as unknown as Envelope), officerId: (record.officerId as string | null) ?? null } };
}
