import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { AccessTable } from './access';
import { CONTRACTS } from './contracts';
import { Envelope, parseEnvelope, verifyEnvelope } from './envelope';
import { KeyRing } from './keys';

export type Verdict = { ok: true; envelope: Envelope } | { ok: false; reason: string; envelope?: Envelope };

/** Checks an incoming message the way X-Road's security server does, before anything is applied. */
export class EnvelopeVerifier {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    private readonly keys: KeyRing,
    private readonly access: AccessTable,
  ) {
    const ajv = new Ajv({ allErrors: false, strict: true });
    addFormats(ajv);
    for (const contract of CONTRACTS) {
      this.validators.set(`${contract.messageType}@${contract.schemaVersion}`, ajv.compile(contract.payload));
    }
  }

  verify(raw: Buffer | string | null): Verdict {
    const parsed = parseEnvelope(raw);
    if (!parsed.ok) return { ok: false, reason: `malformed: ${parsed.reason}` };
    const envelope = parsed.envelope;
    const fail = (reason: string): Verdict => ({ ok: false, reason, envelope });
    if (envelope.recipient !== this.keys.agency) return fail(`misaddressed: meant for ${envelope.recipient}, received by ${this.keys.agency}`);
    const publicKey = this.keys.publicKeyOf(envelope.sender);
    if (!publicKey) return fail(`unknown sender: no trusted key for ${envelope.sender}`);
    if (!verifyEnvelope(envelope, publicKey)) return fail(`bad signature: not signed by ${envelope.sender}, or altered`);
    const rule = { sender: envelope.sender, messageType: envelope.messageType, recipient: envelope.recipient };
    if (!this.access.allows(rule)) return fail(`access denied: ${envelope.sender} may not send ${envelope.messageType} to ${envelope.recipient}`);
    const validate = this.validators.get(`${envelope.messageType}@${envelope.schemaVersion}`);
    if (!validate) return fail(`unknown message type ${envelope.messageType} version ${envelope.schemaVersion}`);
    if (!validate(envelope.payload)) {
      const error = validate.errors?.[0];
      return fail(`schema invalid: payload${error?.instancePath ?? ''} ${error?.message ?? 'does not match'}`);
    }
    return { ok: true, envelope };
  }
}
