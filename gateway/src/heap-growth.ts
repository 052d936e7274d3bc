import v8 from 'node:v8';

export const DEFAULT_HEAP_GROWTH_PERCENT = 50;

/**
 * GATEWAY_HEAP_GROWTH_PERCENT: how far V8 lets the old generation grow past what the last full collection kept
 * before collecting again (its `--heap-growing-percent`). A gateway keeps little (plans, caches: ~60 MiB) and
 * allocates a lot per request, most of it short-lived; with V8's own factor (up to 4×) its RSS climbs to ~280 MiB under
 * load and stays there. 50 keeps it near 170 MiB at the same CPU per request (README "Gateway speed"). `off` (or 0)
 * leaves V8's default. Returns the percent applied, or null.
 */
export function limitHeapGrowth(env: NodeJS.ProcessEnv = process.env): number | null {
  const raw = (env.GATEWAY_HEAP_GROWTH_PERCENT ?? '').trim();
  if (raw === 'off' || raw === '0') return null;
  const percent = raw === '' ? DEFAULT_HEAP_GROWTH_PERCENT : Number(raw);
  if (!Number.isInteger(percent) || percent < 10 || percent > 1000) {
    throw new Error(`GATEWAY_HEAP_GROWTH_PERCENT must be a whole number from 10 to 1000, or off (got "${raw}")`);
  }
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
