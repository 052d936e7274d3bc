import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';
import { BadUserInputError, formatError } from './errors';

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
