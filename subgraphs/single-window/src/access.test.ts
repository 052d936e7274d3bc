import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import type { FindOptionsWhere } from 'typeorm';
import { dossierScope, mayReadDossier } from './access';
import type { Dossier } from './entities/dossier';

type Row = Pick<Dossier, 'code' | 'applicantPersonalNumber' | 'receivingAgencyCode' | 'handlingAgencyCode'>;

const AGENCIES = ['H99.TTHCC', 'H99.DD.00', 'H99.THUE.00'];
const rows: Row[] = [];
for (const receiving of AGENCIES) {
  for (const handling of AGENCIES) {
    rows.push({ code: `${receiving}>${handling}`, applicantPersonalNumber: '001099000001', receivingAgencyCode: receiving, handlingAgencyCode: handling });
  }
}

/** What the database does with a list of equality conditions: a row matches when any condition holds entirely. */
function matches(row: Row, scope: FindOptionsWhere<Dossier>[]): boolean {
  return scope.some((where) => Object.entries(where).every(([key, value]) => (row as Record<string, unknown>)[key] === value));
}

test('an officer lists exactly the dossiers they may read, whatever agency filter they give', () => {
  for (const agency of AGENCIES) {
    const caller = { identity: { role: 'officer' as const, subject: `officer.${agency}`, agency } };
    for (const receivingAgencyCode of [undefined, ...AGENCIES]) {
      for (const handlingAgencyCode of [undefined, ...AGENCIES]) {
        const where: FindOptionsWhere<Dossier> = {};
        if (receivingAgencyCode) where.receivingAgencyCode = receivingAgencyCode;
        if (handlingAgencyCode) where.handlingAgencyCode = handlingAgencyCode;
        const scope = dossierScope(caller, where);
        const listed = rows.filter((row) => matches(row, scope)).map((row) => row.code);
        const readable = rows.filter((row) => matches(row, [where]) && mayReadDossier(caller, row)).map((row) => row.code);
        assert.deepEqual(listed, readable, `${agency} filtering ${JSON.stringify(where)}`);
      }
    }
  }
});

test('a filter on the officer\'s own agency needs no OR (one index range)', () => {
  const caller = { identity: { role: 'officer' as const, subject: 'officer.dd', agency: 'H99.DD.00' } };
  assert.equal(dossierScope(caller, { handlingAgencyCode: 'H99.DD.00' }).length, 1);
  assert.equal(dossierScope(caller, { receivingAgencyCode: 'H99.DD.00' }).length, 1);
  assert.equal(dossierScope(caller, {}).length, 2);
  assert.deepEqual(dossierScope(caller, { handlingAgencyCode: 'H99.THUE.00' }), [{ handlingAgencyCode: 'H99.THUE.00', receivingAgencyCode: 'H99.DD.00' }]);
});
