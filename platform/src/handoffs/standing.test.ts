import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  birthStanding, deathStanding, enterpriseRegistrationStanding, Filing, landTransferStanding, PersonLinks, refusalReason, relationOnRecord,
} from './standing';
import { checkPayload } from './payload-validation';

const online = (applicant: string): Filing => ({ applicantPersonalNumber: applicant, applicantEnterpriseCode: null, channel: 'ONLINE', actor: null });
const atCounter = (applicant: string): Filing => ({ ...online(applicant), channel: 'COUNTER', actor: { role: 'officer', id: 'mc.nguyenvana', agency: 'H99.MC' } });

const person = (n: string, father: string | null = null, mother: string | null = null): PersonLinks =>
  ({ personalNumber: n, fatherPersonalNumber: father, motherPersonalNumber: mother });
const DAD = '001060000001';
const MUM = '001160000002';
const CHILD = '001090000003';
const SISTER = '001190000004';
const HALF = '001190000005';
const STRANGER = '001080000006';

describe('relation on record', () => {
  test('spouse, parent, child, sibling (full or half) are found from the register', () => {
    assert.equal(relationOnRecord(person(DAD), person(MUM), true), 'SPOUSE');
    assert.equal(relationOnRecord(person(CHILD, DAD, MUM), person(DAD), false), 'PARENT');
    assert.equal(relationOnRecord(person(CHILD, DAD, MUM), person(MUM), false), 'PARENT');
    assert.equal(relationOnRecord(person(DAD), person(CHILD, DAD, MUM), false), 'CHILD');
    assert.equal(relationOnRecord(person(CHILD, DAD, MUM), person(SISTER, DAD, MUM), false), 'SIBLING');
    assert.equal(relationOnRecord(person(CHILD, DAD, MUM), person(HALF, null, MUM), false), 'SIBLING');
  });

  test('a stranger, unknown parents (null is no link) and oneself are no relation', () => {
    assert.equal(relationOnRecord(person(CHILD, DAD, MUM), person(STRANGER), false), null);
    assert.equal(relationOnRecord(person(CHILD), person(STRANGER), false), null, 'two people with no parents on record are not siblings');
    assert.equal(relationOnRecord(person(CHILD, DAD, MUM), person(CHILD, DAD, MUM), true), null);
  });
});

describe('standing', () => {
  test('death: each relative on record may declare online; a stranger is refused with NO_STANDING; staff at the counter may file', () => {
    for (const relation of ['SPOUSE', 'PARENT', 'CHILD', 'SIBLING'] as const) assert.equal(deathStanding(online(CHILD), relation).ok, true, relation);
    const refused = deathStanding(online(STRANGER), null);
    assert.equal(refused.ok, false);
    assert.match(refusalReason(refused as Extract<typeof refused, { ok: false }>), /^NO_STANDING: /);
    assert.equal(deathStanding(atCounter(STRANGER), null).ok, true, 'an officer who filed it at the counter vouches for the declarant');
  });

  test('birth: the mother, or the father married to her; anyone else, or an unmarried father online, is refused', () => {
    assert.equal(birthStanding(online(MUM), { mother: MUM, father: DAD, fatherMarriedToMother: false }).ok, true);
    assert.equal(birthStanding(online(DAD), { mother: MUM, father: DAD, fatherMarriedToMother: true }).ok, true);
    assert.equal(birthStanding(online(DAD), { mother: MUM, father: DAD, fatherMarriedToMother: false }).ok, false);
    assert.equal(birthStanding(online(STRANGER), { mother: MUM, father: null, fatherMarriedToMother: false }).ok, false);
    assert.equal(birthStanding(atCounter(STRANGER), { mother: MUM, father: null, fatherMarriedToMother: false }).ok, true);
  });

  test('land transfer or gift: the transferor only, unless staff filed it', () => {
    assert.equal(landTransferStanding(online(DAD), DAD).ok, true);
    assert.equal(landTransferStanding(online(STRANGER), DAD).ok, false);
    assert.equal(landTransferStanding(atCounter(STRANGER), DAD).ok, true);
  });

  test('enterprise registration: the legal representative only, unless staff filed it', () => {
    assert.equal(enterpriseRegistrationStanding(online(DAD), DAD).ok, true);
    assert.equal(enterpriseRegistrationStanding(online(STRANGER), DAD).ok, false);
    assert.equal(enterpriseRegistrationStanding({ ...online(STRANGER), actor: { role: 'agency-system', id: 'dvc', agency: 'H99.MC' } }, DAD).ok, true);
  });

  test('the request contracts require the filing, and refuse an actor the schema does not know', () => {
    const death = { personalNumber: CHILD, deathDate: '2026-11-10', communeCode: '99001', declarantPersonalNumber: DAD };
    assert.equal(checkPayload('civil-status.death-registration-requested', 1, death).ok, false, 'no filing, no request');
    assert.equal(checkPayload('civil-status.death-registration-requested', 1, { ...death, filing: online(DAD) }).ok, true);
    const forged = { ...death, filing: { ...online(DAD), actor: { role: 'citizen', id: DAD, agency: null } } };
    assert.equal(checkPayload('civil-status.death-registration-requested', 1, forged).ok, false);
  });
});
