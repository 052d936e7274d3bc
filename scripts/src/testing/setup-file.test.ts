import { test } from '@jest/globals';
import assert from 'node:assert/strict';

test('test setup: a fetched JSON body compares with deepStrictEqual against values written in the test', async () => {
  const body = await new Response('{"data":{"list":[1,{"a":"xin chào"}]}}').json();
  assert.deepEqual(body, { data: { list: [1, { a: 'xin chào' }] } });
  assert.equal(Object.getPrototypeOf(body), Object.prototype, 'parsed in the test realm');
});
