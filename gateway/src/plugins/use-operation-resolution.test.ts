import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { startTestGateway } from './testing';

test('an operationName naming no operation, or none named among several, is a 400 OPERATION_RESOLUTION_FAILURE, not a 500', async () => {
  const gateway = await startTestGateway();
  try {
    for (const body of [
      { query: '{ __typename }', operationName: 'Nope' },
      { query: 'query A { __typename } query B { __typename }', operationName: 'C' },
      { query: 'query A { __typename } query B { __typename }' },
    ]) {
      const { status, body: answer } = await gateway.post(body, { 'accept-language': 'en' });
      assert.equal(status, 400, JSON.stringify(answer));
      assert.equal(answer.errors?.[0].extensions.code, 'OPERATION_RESOLUTION_FAILURE');
      assert.equal(answer.errors?.[0].extensions.stacktrace, undefined);
      assert.equal(gateway.subgraphRequests(), 0);
    }
    const named = await gateway.post({ query: 'query A { __typename } query B { __typename }', operationName: 'B' });
    assert.equal(named.status, 200);
    assert.deepEqual(named.body.data, { __typename: 'Query' });
  } finally {
    await gateway.stop();
  }
});
