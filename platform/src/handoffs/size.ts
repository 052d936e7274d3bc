import { HandoffPayloadError } from './node';

/**
 * The largest record a member publishes, in bytes of the signed envelope (HANDOFF_MAX_MESSAGE_BYTES; default 1,000,000,
 * under Kafka's default 1 MB record limit, at most 16,000,000: the outbox's MEDIUMTEXT on MySQL/MariaDB).
 */
export function handoffSizeLimit(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.HANDOFF_MAX_MESSAGE_BYTES;
  if (!raw) return 1_000_000;
  const value = Number(raw);
  if (!(Number.isInteger(value) && value >= 1024 && value <= 16_000_000)) {
    throw new Error(`HANDOFF_MAX_MESSAGE_BYTES must be a whole number of bytes from 1024 to 16000000, got "${raw}"`);
  }
  return value;
}

/** A handoff whose signed envelope exceeds the limit: refused before it reaches the outbox (BAD_USER_INPUT from inputs). */
export class HandoffTooLargeError extends HandoffPayloadError {
  constructor(messageType: string, readonly bytes: number, readonly limit: number) {
    super(messageType, '', `is too large: ${bytes} bytes once signed, at most ${limit} (HANDOFF_MAX_MESSAGE_BYTES)`);
  }
}

/** Throws HandoffTooLargeError when `envelope` (the JSON text to publish) is over the limit. */
export function checkHandoffSize(messageType: string, envelope: string, limit = handoffSizeLimit()): void {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only long texts need counting
  if (envelope.length * 3 <= limit) return;
  const bytes = Buffer.byteLength(envelope, 'utf8');
  if (bytes > limit) throw new HandoffTooLargeError(messageType, bytes, limit);
}
