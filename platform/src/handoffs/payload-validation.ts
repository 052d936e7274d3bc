import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { CONTRACTS } from './contracts';

let validators: Map<string, ValidateFunction> | undefined;

function compiled(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: false, strict: true });
  addFormats(ajv);
  validators = new Map(CONTRACTS.map((c) => [`${c.messageType}@${c.schemaVersion}`, ajv.compile(c.payload)]));
  return validators;
}

export type PayloadCheck = { ok: true } | { ok: false; path: string; reason: string };

/** Checks a payload against its contract's JSON Schema; says which field is wrong. */
export function checkPayload(messageType: string, schemaVersion: number, payload: unknown): PayloadCheck {
  const validate = compiled().get(`${messageType}@${schemaVersion}`);
  if (!validate) return { ok: false, path: '', reason: `unknown message type ${messageType} version ${schemaVersion}` };
  if (validate(payload)) return { ok: true };
  const error = validate.errors?.[0];
  const path = (error?.instancePath ?? '').split('/').filter(Boolean).join('.');
  const extra = error?.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
  return { ok: false, path, reason: `${error?.message ?? 'does not match the schema'}${extra}` };
}
