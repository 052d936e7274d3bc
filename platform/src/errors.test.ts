import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { close, createHttpServer, listen } from './http';
import { BadUserInputError, formatError, isDevelopment, NotFoundError } from './errors';

test('typed errors keep their code, field and reason; stack traces never leave', () => {
  const error = new BadUserInputError('personalNumber', 'must be exactly 12 digits');
  const formatted = formatError({ message: error.message, extensions: { ...error.extensions, stacktrace: ['at x'] } }, error);
  assert.deepEqual(formatted.extensions, { code: 'BAD_USER_INPUT', field: 'personalNumber', reason: 'must be exactly 12 digits' });
});

test('unexpected errors are masked outside development', () => {
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const formatted = formatError(
      { message: 'ER_NO_SUCH_TABLE: Table onestop_land.x', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      new Error('ER_NO_SUCH_TABLE'),
    );
    assert.equal(formatted.message, 'Internal server error');
    assert.deepEqual(formatted.extensions, { code: 'INTERNAL_SERVER_ERROR' });
  } finally {
    process.env.NODE_ENV = saved;
  }
});

test('class-validator failures become BAD_USER_INPUT naming the field', () => {
  const validationErrors = [
    { property: 'input', target: { applicantName: 'x'.repeat(200) }, children: [{ property: 'applicantName', constraints: { isLength: 'applicantName must be shorter than or equal to 120 characters' } }] },
  ];
  const error = new GraphQLError('Argument Validation Error', { extensions: { code: 'BAD_USER_INPUT', validationErrors } });
  const formatted = formatError({ message: error.message, extensions: error.extensions }, error);
  assert.equal(formatted.extensions?.code, 'BAD_USER_INPUT');
  assert.equal(formatted.extensions?.field, 'input.applicantName');
  assert.equal(JSON.stringify(formatted).includes('xxxxxxxx'), false);
});

test('in production a resolver\'s internal error reaches the client as a generic message: no stack, no internal text', async () => {
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const apollo = new ApolloServer({
    typeDefs: 'type Query { citizen: String missing: String }',
    resolvers: {
      Query: {
        citizen: () => { throw new Error("ER_ACCESS_DENIED_ERROR: Access denied for user 'land'@'10.0.4.2' (using password: YES)"); },
        missing: () => { throw new NotFoundError('Citizen', '001085012345'); },
      },
    },
    formatError,
    includeStacktraceInErrorResponses: isDevelopment(),
  });
  await apollo.start();
  const server = createHttpServer({ apollo, context: async () => ({}) });
  try {
    const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}/graphql`;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ citizen missing }' }) });
    const text = await response.text();
    const body = JSON.parse(text);
    assert.deepEqual(body.data, { citizen: null, missing: null });
    assert.deepEqual(body.errors[0], { message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['citizen'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    // a public code keeps its message, still without a stack
    assert.deepEqual(body.errors[1].extensions, { code: 'NOT_FOUND', type: 'Citizen', key: '001085012345' });
    for (const leak of ['ER_ACCESS', '10.0.4.2', 'password', 'stacktrace', '    at ', '.js:']) assert.equal(text.includes(leak), false, `leaked ${leak}`);
  } finally {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
    await close(server);
    await apollo.stop();
  }
});
