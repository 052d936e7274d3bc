import { LRUCache } from 'lru-cache';

/**
 * A cache of at most `max` entries (lru-cache), the least recently used dropped first when full. An entry set with a
 * `ttl` (ms) is never served once that long has passed on `now`: the wall clock by default, as the expiries these
 * caches keep are (a token's `exp`); tests pass a clock of their own. It is read on every lookup (a request's worth of
 * work, not a hot loop), and shifted by 1 ms because lru-cache takes a start time of 0 for "never expires".
 */
export function lruCache<K extends {}, V extends {}>(max: number, now: () => number = Date.now): LRUCache<K, V> {
  return new LRUCache<K, V>({ max, perf: { now: () => now() + 1 }, ttlResolution: 0 });
}
