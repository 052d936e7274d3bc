import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { attachRequestScope, RequestScope, requestScopeOf } from './request-scope';

test('a context value leads to the scope of its request, and to no other', () => {
  const a: RequestScope = { requestId: 'a' };
  const contextA = attachRequestScope({ db: 'x' }, a);
  const contextB = attachRequestScope({ db: 'x' }, { requestId: 'b' });
  assert.equal(requestScopeOf(contextA), a);
  assert.equal(requestScopeOf(contextB)?.requestId, 'b');
  assert.equal(requestScopeOf({ db: 'x' }), undefined);
  assert.equal(requestScopeOf(undefined), undefined);
  assert.equal(attachRequestScope(null, a), null, 'a non-object context is passed through');
  const clone = Object.assign(Object.create(Object.getPrototypeOf(contextA)), contextA);
  assert.equal(requestScopeOf(clone), a, 'a shallow clone of the context (Apollo Server makes one per operation) leads to it too');
  requestScopeOf(contextA)!.role = 'admin';
  assert.equal(a.role, 'admin', 'plugins complete the scope the log line reads');
});
