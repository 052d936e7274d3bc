import { AccessTable } from './access';
import { checkPayload } from './payload-validation';
import { Envelope, parseEnvelope, verifyEnvelope } from './envelope';
import { KeyRing } from './keys';

export type Verdict = { ok: true; envelope: Envelope } | { ok: false; reason: string; envelope?: Envelope };

/** Checks an incoming message the way X-Road's security server does, before anything is applied. */
export class EnvelopeVerifier {
  constructor(
    private readonly keys: KeyRing,
    private readonly access: AccessTable,
  ) {}

  /** The access table applied to our own outgoing messages, so a denied one is never queued. */
  allowsSending(sender: string, messageType: string, recipient: string): boolean {
    return this.access.allows({ sender, messageType, recipient });
  }

  verify(raw: Buffer | string | null): Verdict {
    const parsed = parseEnvelope(raw);
    if (!parsed.ok) return { ok: false, reason: `malformed: ${parsed.reason}` };
    const envelope = parsed.envelope;
    const fail = (reason: string): Verdict => ({ ok: false, reason, envelope });
    if (envelope.recipient !== this.keys.agency) return fail(`misaddressed: meant for ${envelope.recipient}, received by ${this.keys.agency}`);
    let publicKey = this.keys.publicKeyOf(envelope.sender);
    if (!publicKey || !verifyEnvelope(envelope, publicKey)) {
      // Perhaps the sender's key was just installed or rotated: look once more before refusing.
      publicKey = this.keys.refresh(envelope.sender) ? this.keys.publicKeyOf(envelope.sender) : publicKey;
      if (!publicKey) return fail(`unknown sender: no trusted key for ${envelope.sender}`);
      if (!verifyEnvelope(envelope, publicKey)) return fail(`bad signature: not signed by ${envelope.sender}, or altered`);
    }
    const rule = { sender: envelope.sender, messageType: envelope.messageType, recipient: envelope.recipient };
    if (!this.access.allows(rule)) return fail(`access denied: ${envelope.sender} may not send ${envelope.messageType} to ${envelope.recipient}`);
    const check = checkPayload(envelope.messageType, envelope.schemaVersion, envelope.payload);
    if (!check.ok) {
      if (!check.path && check.reason.startsWith('unknown message type')) return fail(check.reason);
      return fail(`schema invalid: payload${check.path ? `.${check.path}` : ''} ${check.reason}`);
    }
    return { ok: true, envelope };
  }
}
