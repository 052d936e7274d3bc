import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { formatError } from '../errors';
import { useGraphQLMetrics } from './graphql-metrics';
import { ServiceMetrics } from './metrics';
import { attachRequestScope, RequestScope } from './request-scope';

type Context = { identity?: { role: string } | null };

async function server(metrics?: ServiceMetrics) {
  const apollo = new ApolloServer<Context>({
    typeDefs: 'type Query { ok: Int, bad: Int, crash: Int }',
    resolvers: {
      Query: {
        ok: () => 1,
        bad: () => { throw new GraphQLError('bad', { extensions: { code: 'BAD_USER_INPUT' } }); },
        crash: () => { throw new Error('database on fire'); },
      },
    },
    formatError,
    plugins: [useGraphQLMetrics<Context>(metrics)],
  });
  await apollo.start();
  return apollo;
}

test('errors are counted by code (a masked error as INTERNAL_SERVER_ERROR), per operation; planner names fold', async () => {
  const metrics = new ServiceMetrics('single-window', { processMetrics: false });
  const apollo = await server(metrics);
  try {
    await apollo.executeOperation({ query: 'query Submit__single_window__0 { ok bad crash }' }, { contextValue: {} });
    await apollo.executeOperation({ query: 'query Submit__single_window__1 { ok }' }, { contextValue: {} });
    await apollo.executeOperation({ query: '{ nope }' }, { contextValue: {} });
    const { body } = await metrics.exposition();
    assert.match(body, /^onestop_graphql_requests_total\{operation="Submit",service="single-window"\} 2$/m);
    assert.match(body, /^onestop_graphql_errors_total\{operation="Submit",code="BAD_USER_INPUT",service="single-window"\} 1$/m);
    assert.match(body, /^onestop_graphql_errors_total\{operation="Submit",code="INTERNAL_SERVER_ERROR",service="single-window"\} 1$/m);
    assert.match(body, /^onestop_graphql_errors_total\{operation="anonymous",code="GRAPHQL_VALIDATION_FAILED",service="single-window"\} 1$/m);
    assert.match(body, /^onestop_graphql_request_duration_seconds_count\{service="single-window",operation="Submit"\} 2$/m);
  } finally {
    await apollo.stop();
  }
});

test('without metrics (METRICS=off) the request scope still learns the role and the operation name', async () => {
  const apollo = await server(undefined);
  try {
    const scope: RequestScope = { requestId: 'r' };
    await apollo.executeOperation({ query: 'query Mine { ok }' }, { contextValue: attachRequestScope({ identity: { role: 'citizen' } }, scope) });
    assert.deepEqual(scope, { requestId: 'r', role: 'citizen', operation: 'Mine' });
  } finally {
    await apollo.stop();
  }
});
