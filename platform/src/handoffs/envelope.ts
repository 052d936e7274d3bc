import { createHash, randomUUID, sign, verify, KeyObject } from 'node:crypto';
import { validateDossierCode } from '../identifiers';
import { MEMBERS } from './contracts';

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
export function parseEnvelope(raw: Buffer | string | null, maxBytes?: number): { ok: true; envelope: Envelope } | { ok: false; reason: string } {
  const screened = screenRaw(raw, maxBytes);
  if (!screened.ok) return screened;
  let value: unknown;
  try {
    value = JSON.parse(screened.text);
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

/**
 * The envelope's own contract, past its field types: a UUID message id, a dossier code as correlation id, known
 * members, and an issuedAt that is a real date-time inside the freshness window. Returns the reason it fails, or null.
 */
export function checkEnvelope(envelope: Envelope, window: FreshnessWindow, now = Date.now()): { reason: string; stale?: boolean } | null {
  if (!MESSAGE_ID_PATTERN.test(envelope.messageId)) return { reason: 'envelope invalid: messageId must be a UUID' };
  const code = validateDossierCode(envelope.correlationId);
  if (!code.ok || code.value !== envelope.correlationId) return { reason: 'envelope invalid: correlationId must be a dossier code {unit code}-{yyMMdd}-{NNNN}' };
  if (!(MEMBERS as readonly string[]).includes(envelope.sender)) return { reason: `envelope invalid: sender ${envelope.sender.slice(0, 40)} is not a member` };
  if (!Number.isInteger(envelope.schemaVersion) || envelope.schemaVersion < 1) return { reason: 'envelope invalid: schemaVersion must be a positive integer' };
  const issued = issuedAtTime(envelope.issuedAt);
  if (issued === null) return { reason: 'envelope invalid: issuedAt must be an ISO 8601 date-time with a time zone' };
  if (issued > now + window.clockSkewMs) return { reason: `envelope invalid: issuedAt ${envelope.issuedAt} is in the future` };
  if (issued < now - window.maxAgeMs) return { reason: `stale: issuedAt ${envelope.issuedAt} is older than ${Math.round(window.maxAgeMs / 3_600_000)} h`, stale: true };
  return null;
}

/** Deepest JSON nesting an envelope may have (contracts need 5): deeper input is refused before it is parsed. */
export const MAX_JSON_DEPTH = 32;

/** Kafka's default record limit is ~1 MB; HANDOFF_MAX_MESSAGE_BYTES sets ours (records and dead letters stay below it). */
export function maxMessageBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.HANDOFF_MAX_MESSAGE_BYTES;
  if (!raw) return 1_000_000;
  const value = Number(raw);
  if (!(Number.isInteger(value) && value >= 1024 && value <= 16_000_000)) {
    throw new Error(`HANDOFF_MAX_MESSAGE_BYTES must be a whole number of bytes from 1024 to 16000000, got "${raw}"`);
  }
  return value;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The nesting depth of JSON text, counted without parsing (brackets inside strings do not count); stops past `limit`. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/**
 * What must hold of the raw bytes before anything parses them: present, within the size limit, valid UTF-8, and not
 * nested deeper than MAX_JSON_DEPTH (a deep body would overflow the stack of hashing and schema checks).
 */
export function screenRaw(raw: Buffer | string | null, maxBytes = maxMessageBytes()): { ok: true; text: string } | { ok: false; reason: string } {
  if (raw === null) return { ok: false, reason: 'empty message' };
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size > maxBytes) return { ok: false, reason: `too large: ${size} bytes, the limit is ${maxBytes}` };
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : utf8.decode(raw);
  } catch {
    return { ok: false, reason: 'not valid UTF-8' };
  }
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return { ok: false, reason: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  return { ok: true, text };
}

/** A message id is a UUID (any version), as `randomUUID` makes them. */
export const MESSAGE_ID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** ISO 8601 date-time with a time zone, as `toISOString` writes it (fractions optional). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export interface FreshnessWindow {
  /** Oldest issuedAt accepted (HANDOFF_MAX_AGE_MS, default 7 days). */
  maxAgeMs: number;
  /** How far in the future issuedAt may be (HANDOFF_CLOCK_SKEW_MS, default 5 minutes). */
  clockSkewMs: number;
}

export function freshnessFromEnv(env: NodeJS.ProcessEnv = process.env): FreshnessWindow {
  const positive = (value: string | undefined, fallback: number) => (value && Number(value) > 0 ? Number(value) : fallback);
  return { maxAgeMs: positive(env.HANDOFF_MAX_AGE_MS, 7 * 86_400_000), clockSkewMs: positive(env.HANDOFF_CLOCK_SKEW_MS, 5 * 60_000) };
}

/** issuedAt as a date-time: null when it is none (a real calendar date and time, with its zone). */
export function issuedAtTime(issuedAt: string): number | null {
  if (!DATE_TIME.test(issuedAt)) return null;
  const time = Date.parse(issuedAt);
  if (Number.isNaN(time)) return null;
  // Date.parse rolls 2026-02-30 over to March: the calendar date must come back unchanged
  const [y, m, d] = issuedAt.slice(0, 10).split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d ? time : null;
}
