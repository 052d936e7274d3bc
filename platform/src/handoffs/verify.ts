import { AccessTable } from './access';
import { checkPayload } from './payload-validation';
import { checkEnvelope, Envelope, freshnessFromEnv, FreshnessWindow, maxMessageBytes, parseEnvelope, verifyEnvelope } from './envelope';
import { KeyRing } from './keys';

/**
 * A refusal says whether the signature verified (`signed`: the sender is who it says, and may be told why) and
 * whether only the freshness window failed (`stale`: a replayed dead letter of ours may still be applied).
 */
export type Verdict =
  | { ok: true; envelope: Envelope }
  | { ok: false; reason: string; envelope?: Envelope; signed: boolean; stale?: boolean };

export interface VerifierOptions {
  maxBytes?: number;
  freshness?: FreshnessWindow;
}

/** Checks an incoming message the way X-Road's security server does, before anything is applied. */
export class EnvelopeVerifier {
  private readonly maxBytes: number;
  private readonly freshness: FreshnessWindow;

  constructor(
    private readonly keys: KeyRing,
    private readonly access: AccessTable,
    options: VerifierOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? maxMessageBytes();
    this.freshness = options.freshness ?? freshnessFromEnv();
  }

  /** The access table applied to our own outgoing messages, so a denied one is never queued. */
  allowsSending(sender: string, messageType: string, recipient: string): boolean {
    return this.access.allows({ sender, messageType, recipient });
  }

  /** Never throws: whatever goes wrong while checking is a refusal with its reason. */
  verify(raw: Buffer | string | null, now = Date.now()): Verdict {
    try {
      return this.check(raw, now);
    } catch (error) {
      return { ok: false, reason: `malformed: verification failed (${error instanceof Error ? error.message : String(error)})`.slice(0, 500), signed: false };
    }
  }

  private check(raw: Buffer | string | null, now: number): Verdict {
    const parsed = parseEnvelope(raw, this.maxBytes);
    if (!parsed.ok) return { ok: false, reason: `malformed: ${parsed.reason}`, signed: false };
    const envelope = parsed.envelope;
    // The signature first: only a sender proven to be who it says is told why its message was refused.
    let publicKey = this.keys.publicKeyOf(envelope.sender);
    if (!publicKey || !verifyEnvelope(envelope, publicKey)) {
      // Perhaps the sender's key was just installed or rotated: look once more before refusing.
      publicKey = this.keys.refresh(envelope.sender) ? this.keys.publicKeyOf(envelope.sender) : publicKey;
      if (!publicKey) return { ok: false, reason: `unknown sender: no trusted key for ${envelope.sender.slice(0, 40)}`, envelope, signed: false };
      if (!verifyEnvelope(envelope, publicKey)) return { ok: false, reason: `bad signature: not signed by ${envelope.sender.slice(0, 40)}, or altered`, envelope, signed: false };
    }
    const fail = (reason: string, stale = false): Verdict => ({ ok: false, reason, envelope, signed: true, ...(stale ? { stale } : {}) });
    if (envelope.recipient !== this.keys.agency) return fail(`misaddressed: meant for ${envelope.recipient.slice(0, 40)}, received by ${this.keys.agency}`);
    const invalid = checkEnvelope(envelope, this.freshness, now);
    if (invalid && !invalid.stale) return fail(invalid.reason);
    const rule = { sender: envelope.sender, messageType: envelope.messageType, recipient: envelope.recipient };
    if (!this.access.allows(rule)) return fail(`access denied: ${envelope.sender} may not send ${envelope.messageType.slice(0, 80)} to ${envelope.recipient}`);
    const check = checkPayload(envelope.messageType, envelope.schemaVersion, envelope.payload);
    if (!check.ok) {
      if (!check.path && check.reason.startsWith('unknown message type')) return fail(check.reason);
      return fail(`schema invalid: payload${check.path ? `.${check.path}` : ''} ${check.reason}`);
    }
    if (invalid) return fail(invalid.reason, true);
    return { ok: true, envelope };
  }
}
