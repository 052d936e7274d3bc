import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { DEFAULT_HEAP_GROWTH_PERCENT, limitHeapGrowth } from './heap-growth';

test('GATEWAY_HEAP_GROWTH_PERCENT: 50 by default, a number, or off; nonsense refused with the reason', () => {
  assert.equal(limitHeapGrowth({}), DEFAULT_HEAP_GROWTH_PERCENT);
  assert.equal(limitHeapGrowth({ GATEWAY_HEAP_GROWTH_PERCENT: '120' }), 120);
  assert.equal(limitHeapGrowth({ GATEWAY_HEAP_GROWTH_PERCENT: 'off' }), null);
  assert.equal(limitHeapGrowth({ GATEWAY_HEAP_GROWTH_PERCENT: '0' }), null);
  for (const bad of ['5', '1.5', 'lots', '5000']) {
    assert.throws(() => limitHeapGrowth({ GATEWAY_HEAP_GROWTH_PERCENT: bad }), /GATEWAY_HEAP_GROWTH_PERCENT must be a whole number/);
  }
});
