import { maxMessageBytes } from './envelope';
import { HandoffPayloadError } from './node';

/** A handoff whose signed envelope exceeds the limit: refused before it reaches the outbox (BAD_USER_INPUT from inputs). */
export class HandoffTooLargeError extends HandoffPayloadError {
  constructor(messageType: string, readonly bytes: number, readonly limit: number) {
    super(messageType, '', `is too large: ${bytes} bytes once signed, at most ${limit} (HANDOFF_MAX_MESSAGE_BYTES)`);
  }
}

/** Throws HandoffTooLargeError when `envelope` (the JSON text to publish) is over the limit. */
export function checkHandoffSize(messageType: string, envelope: string, limit = maxMessageBytes()): void {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only long texts need counting
  if (envelope.length * 3 <= limit) return;
  const bytes = Buffer.byteLength(envelope, 'utf8');
  if (bytes > limit) throw new HandoffTooLargeError(messageType, bytes, limit);
}
