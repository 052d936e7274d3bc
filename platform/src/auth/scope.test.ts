import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { AgencyTree, loadAgencyTree } from './agency-tree';
import { actingOfficer } from './officer';
import { inAgencyScope, requireAgencyScope } from './scope';
import type { Identity } from './identity';

const officer = (agency: string, sector: string): Identity => ({ role: 'officer', subject: `o.${agency}`, agency, sector });

test('offices act for the units they serve: the province office on a district branch\'s records, never a sibling', () => {
  const tree = loadAgencyTree();
  const province = officer('H99.DD.00', 'LAND');
  const branch = officer('H99.DD.990', 'LAND');
  const sibling = officer('H99.DD.991', 'LAND');
  const ofBranch = { agencies: ['H99.DD.990'] };
  assert.equal(inAgencyScope(branch, ofBranch, tree), true, 'the branch on its own transaction');
  assert.equal(inAgencyScope(province, ofBranch, tree), true, 'the province office on its branch\'s transaction');
  assert.equal(inAgencyScope(sibling, ofBranch, tree), false, 'another district\'s branch');
  assert.equal(inAgencyScope(branch, { agencies: ['H99.DD.00'] }, tree), false, 'a branch does not act for the office above it');
  assert.equal(inAgencyScope(officer('H99.THUE.00', 'TAX'), { agencies: ['H99.THUE.992'] }, tree), true, 'the provincial tax office on its district office\'s notice');
  assert.equal(inAgencyScope(officer('H99.THUE.993', 'TAX'), { agencies: ['H99.THUE.992'] }, tree), false, 'a sibling tax office');
  assert.equal(inAgencyScope(officer('H99.DD.00', 'LAND'), { agencies: ['H99.THUE.992'] }, tree), false, 'another sector\'s tree');
  // through the default (shared) tree, as the resolvers call it
  assert.doesNotThrow(() => requireAgencyScope({ identity: province }, ofBranch, 'Land transaction'));
  assert.throws(() => requireAgencyScope({ identity: sibling }, ofBranch, 'Land transaction'),
    (e: Error & { extensions?: Record<string, unknown> }) => e.extensions?.code === 'FORBIDDEN' && e.extensions?.reason === 'OUT_OF_AGENCY_SCOPE');
});

test('the agency tree refuses a cycle', () => {
  assert.throws(() => new AgencyTree({ a: 'b', b: 'a' }), /above itself/);
});

test('the officer on record is the signed-in one; an input naming anyone else is BAD_USER_INPUT', () => {
  const caller = { identity: officer('H99.DD.00', 'LAND') };
  assert.equal(actingOfficer(caller, undefined, 'input.officerId'), 'o.H99.DD.00');
  assert.equal(actingOfficer(caller, 'o.H99.DD.00', 'input.officerId'), 'o.H99.DD.00');
  assert.throws(() => actingOfficer(caller, 'someone.else', 'input.officerId'),
    (e: Error & { extensions?: Record<string, unknown> }) => e.extensions?.code === 'BAD_USER_INPUT' && e.extensions?.field === 'input.officerId');
  assert.equal(actingOfficer({ identity: { role: 'agency-system', subject: 's', agency: 'H99.DD.00', sector: 'LAND' } }, null, 'input.officerId'), null);
});
