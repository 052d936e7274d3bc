const ON = new Set(['on', 'true', '1', 'yes']);
const OFF = new Set(['off', 'false', '0', 'no']);

/**
 * GATEWAY_EXPLORER=on|off. Unset (or empty): on, except off when NODE_ENV=production, where it must be asked for.
 * Anything else is refused at startup rather than guessed.
 */
export function explorerEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = (env.GATEWAY_EXPLORER ?? '').trim().toLowerCase();
  if (raw === '') return env.NODE_ENV !== 'production';
  if (ON.has(raw)) return true;
  if (OFF.has(raw)) return false;
  throw new Error(`GATEWAY_EXPLORER must be on or off, got "${env.GATEWAY_EXPLORER}"`);
}
