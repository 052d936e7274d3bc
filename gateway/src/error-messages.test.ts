import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { PUBLIC_ERROR_CODES } from '@onestop/platform/gateway';
import { languageOf, localizeErrors, translateErrors, VIETNAMESE } from './error-messages';

test('Vietnamese unless Accept-Language prefers English', () => {
  assert.equal(languageOf(undefined), 'vi');
  assert.equal(languageOf(''), 'vi');
  assert.equal(languageOf('en'), 'en');
  assert.equal(languageOf('en-US,en;q=0.9'), 'en');
  assert.equal(languageOf('vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7'), 'vi');
  assert.equal(languageOf('fr-FR,en;q=0.5'), 'en', 'English is the only one of ours asked for');
  assert.equal(languageOf('en;q=0.4,vi;q=0.8'), 'vi');
  assert.equal(languageOf('fr, *'), 'vi');
  assert.equal(languageOf('en;q=0'), 'vi', 'q=0 means not English');
});

test('every public code has a Vietnamese message; details come from the extensions; codes and the rest are kept', () => {
  for (const code of [...PUBLIC_ERROR_CODES, 'INTERNAL_SERVER_ERROR', 'FORBIDDEN_ORIGIN']) assert.ok(VIETNAMESE[code], code);
  const errors = [
    { message: 'Invalid limit: must be between 1 and 100', path: ['procedures'], extensions: { code: 'BAD_USER_INPUT', field: 'limit', reason: 'must be between 1 and 100' } },
    { message: 'Dossier X not found', extensions: { code: 'NOT_FOUND', type: 'Dossier', key: 'X' } },
    { message: 'Too many requests: try again in 3 s', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 3 } },
    { message: 'Operation is nested too deep: depth 14 exceeds the maximum of 12', extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'depth', max: 12, actual: 14 } },
    { message: 'The tax subgraph is unreachable', extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'tax' } },
    { message: 'A citizen may only access their own dossiers', extensions: { code: 'FORBIDDEN', role: 'citizen' } },
    { message: 'Syntax Error: Expected Name, found <EOF>.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
    { message: 'something new', extensions: { code: 'SOME_FUTURE_CODE' } },
  ];
  const vi = translateErrors(errors, 'vi');
  assert.deepEqual(vi.map((e) => e.message), [
    'Dữ liệu không hợp lệ ở trường limit: must be between 1 and 100',
    'Không tìm thấy Dossier X',
    'Quá nhiều yêu cầu: vui lòng thử lại sau 3 giây',
    'Câu truy vấn vượt giới hạn độ sâu: 14, tối đa 12',
    'Hệ thống tax tạm thời không truy cập được; vui lòng thử lại sau',
    'Bạn không có quyền thực hiện thao tác này hoặc xem dữ liệu này (A citizen may only access their own dossiers)',
    'Câu truy vấn GraphQL sai cú pháp (Syntax Error: Expected Name, found <EOF>.)',
    'something new',
  ]);
  assert.deepEqual(vi.map((e) => e.extensions), errors.map((e) => e.extensions), 'codes and details unchanged');
  assert.deepEqual(vi[0].path, ['procedures']);
  assert.deepEqual(translateErrors(errors, 'en'), errors);
  // generic forms when the details are missing
  assert.equal(translateErrors([{ message: 'x', extensions: { code: 'BAD_USER_INPUT' } }], 'vi')[0].message, 'Dữ liệu đầu vào không hợp lệ');
  assert.equal(translateErrors([{ message: 'x', extensions: { code: 'SUBGRAPH_TIMEOUT' } }], 'vi')[0].message, 'Hệ thống không trả lời kịp thời; vui lòng thử lại sau');
  assert.equal(translateErrors([{ message: 'x' }], 'vi')[0].message, 'x');
  const request = (acceptLanguage?: string) => ({ headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} }) as http.IncomingMessage;
  assert.equal(localizeErrors(errors.slice(1, 2), request())[0].message, 'Không tìm thấy Dossier X');
  assert.equal(localizeErrors(errors.slice(1, 2), request('en'))[0].message, 'Dossier X not found');
});
