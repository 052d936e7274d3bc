import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { lruCache } from './lru';

test('lruCache: bounded, least recently used first; entries expire on the clock given, even one starting at 0', () => {
  let now = 0;
  const cache = lruCache<string, number>(2, () => now);
  cache.set('a', 1, { ttl: 1000 });
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.deepEqual([...cache.keys()], ['c', 'a'], 'b went, a was used since');
  now = 1000;
  assert.equal(cache.get('a'), 1, 'served for its whole ttl');
  now = 1001;
  assert.equal(cache.get('a'), undefined, 'expired');
  assert.deepEqual([...cache.keys()], ['c']);
});
