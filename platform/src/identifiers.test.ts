import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  enterpriseCheckDigit, formatDossierCode, makeEnterpriseCode, makePersonalNumber, parseLandParcelId,
  parsePersonalNumber, validateDossierCode, validateEnterpriseCode, validatePersonalNumber, validateProcedureCode, validateIsoDate,
} from './identifiers';

test('personal number: structure is read back', () => {
  const parsed = parsePersonalNumber('001085012345');
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value, {
    number: '001085012345', provinceCode: '001', provinceName: 'Hà Nội', century: 1900, sex: 'MALE', birthYear: 1985,
  });
  const female2000s = parsePersonalNumber('079305000001');
  assert.ok(female2000s.ok);
  assert.equal(female2000s.value.sex, 'FEMALE');
  assert.equal(female2000s.value.birthYear, 2005);
});

test('personal number: malformed or inconsistent numbers are refused with a reason', () => {
  assert.deepEqual(validatePersonalNumber('12345'), { ok: false, reason: 'must be exactly 12 digits' });
  assert.deepEqual(validatePersonalNumber('00108501234a'), { ok: false, reason: 'must be exactly 12 digits' });
  assert.deepEqual(validatePersonalNumber(12), { ok: false, reason: 'must be a string of 12 digits' });
  assert.deepEqual(validatePersonalNumber('003085012345'), { ok: false, reason: 'unknown province code 003' });
  const wrongYear = validatePersonalNumber('001085012345', { birthDate: '1986-02-01' });
  assert.equal(wrongYear.ok, false);
  const wrongSex = validatePersonalNumber('001085012345', { sex: 'FEMALE' });
  assert.equal(wrongSex.ok, false);
  assert.deepEqual(validatePersonalNumber('001085012345', { birthDate: '1985-06-30', sex: 'MALE' }), { ok: true, value: '001085012345' });
});

test('personal number: makePersonalNumber builds numbers that validate', () => {
  const n = makePersonalNumber('040', 2003, 'FEMALE', 42);
  assert.equal(n, '040303000042');
  assert.ok(validatePersonalNumber(n, { birthDate: '2003-01-01', sex: 'FEMALE' }).ok);
  assert.equal(makePersonalNumber('001', 1999, 'MALE', 1), '001099000001');
});

test('enterprise code: check digit with weights 31 29 23 19 17 13 7 5 3', () => {
  // 0100109106 is a widely published real tax code.
  assert.equal(enterpriseCheckDigit('010010910'), 6);
  assert.deepEqual(validateEnterpriseCode('0100109106'), { ok: true, value: '0100109106' });
  assert.deepEqual(validateEnterpriseCode('0100109106-001'), { ok: true, value: '0100109106-001' });
  assert.deepEqual(validateEnterpriseCode('0100109107'), { ok: false, reason: 'check digit does not match' });
  assert.deepEqual(validateEnterpriseCode('0100109106-000'), { ok: false, reason: 'dependent unit suffix must be 001–999' });
  assert.equal(validateEnterpriseCode('01001091').ok, false);
  for (let seq = 1; seq < 200; seq++) assert.ok(validateEnterpriseCode(makeEnterpriseCode('99', seq)).ok);
});

test('enterprise code: nine digits whose sum is divisible by 11 admit no check digit', () => {
  // find one: the weights make 10 - 0 = 10, which is no digit
  let found = '';
  for (let i = 0; i < 100_000 && !found; i++) {
    const nine = String(i).padStart(9, '0');
    if (enterpriseCheckDigit(nine) === null) found = nine;
  }
  assert.ok(found);
  for (let d = 0; d <= 9; d++) assert.equal(validateEnterpriseCode(`${found}${d}`).ok, false);
});

test('dossier and procedure codes', () => {
  assert.equal(formatDossierCode('000.00.31.H99', new Date('2025-10-15T00:00:00Z'), 7), '000.00.31.H99-251015-0007');
  assert.ok(validateDossierCode('000.00.31.H99-251015-0007').ok);
  assert.equal(validateDossierCode('000.00.31.H99-251315-0007').ok, false);
  assert.equal(validateDossierCode('H99-0007').ok, false);
  assert.ok(validateProcedureCode('1.010059.000.00.00.H47').ok);
  assert.ok(validateProcedureCode('1.001193').ok);
  assert.equal(validateProcedureCode('x.1').ok, false);
});

test('land parcel ids', () => {
  assert.deepEqual(parseLandParcelId('26734-12-345'), { ok: true, value: { communeCode: '26734', mapSheetNumber: 12, parcelNumber: 345 } });
  assert.equal(parseLandParcelId('abc').ok, false);
});

test('validateIsoDate: a real day, not after a bound', () => {
  assert.deepEqual(validateIsoDate('2024-02-29'), { ok: true, value: '2024-02-29' });
  for (const bad of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', 'not-a-date', '2026-1-5', '', 20260101]) {
    assert.equal(validateIsoDate(bad).ok, false, String(bad));
  }
  assert.equal(validateIsoDate('2026-12-07', '2026-12-06').ok, false);
  assert.equal(validateIsoDate('2026-12-06', '2026-12-06').ok, true);
});
