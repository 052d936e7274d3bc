import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  databaseConfig, IDENTITY_HEADER, identitySignerFromEnv, identityVerifierFromEnv, RunningSubgraph, startSubgraph, SubgraphDefinition,
} from '@onestop/platform';
import { businessRegistration } from '@onestop/business-registration';
import { civilStatus } from '@onestop/civil-status';
import { land } from '@onestop/land';
import { singleWindow } from '@onestop/single-window';
import { tax } from '@onestop/tax';
import { seedDemoData } from '../demo-data';
import { graphql, tempDir } from '../testing/helpers';
import { ADMIN, portOffset } from '../stack/stack';

const N = 50;
const env = { DATA_DIR: tempDir('batching'), DB_URL: '' };
const running = new Map<string, RunningSubgraph>();
/** The subgraphs' own requests come from the gateway: sign as it would, for an admin. */
const asGateway = (subgraph: string) => ({ [IDENTITY_HEADER]: identitySignerFromEnv(env).tokenFor(ADMIN, subgraph) });

beforeAll(async () => {
  await seedDemoData({ citizens: 2000, env });
  let port = 14301 + portOffset();
  for (const definition of [singleWindow, civilStatus, businessRegistration, land, tax] as SubgraphDefinition[]) {
    running.set(definition.name, await startSubgraph(definition, {
      port: port++, database: databaseConfig(definition.name, env), identities: identityVerifierFromEnv(env),
    }));
  }
});

afterAll(async () => {
  for (const subgraph of running.values()) await subgraph.stop();
});

async function keys(subgraph: string, sql: string): Promise<string[]> {
  const rows: Record<string, unknown>[] = await running.get(subgraph)!.database.dataSource.query(sql);
  return rows.map((row) => String(Object.values(row)[0]));
}

/** Sends one `_entities` fetch of `count` representations and returns how many SQL statements it cost. */
async function entitiesQueries(subgraph: string, typename: string, keyField: string, values: string[], selection: string, count: number) {
  const target = running.get(subgraph)!;
  const representations = values.slice(0, count).map((value) => ({ __typename: typename, [keyField]: value }));
  assert.equal(representations.length, count, `${subgraph}: not enough ${typename} keys in the demo data`);
  target.database.queries.reset();
  const { data, errors } = await graphql(
    target.url,
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`,
    { r: representations },
    asGateway(subgraph),
  );
  assert.equal(errors, undefined, JSON.stringify(errors));
  assert.equal(data!._entities.length, count);
  return target.database.queries.count;
}

interface Case {
  subgraph: string;
  typename: string;
  keyField: string;
  keySql: string;
  selection: string;
  /** Entity types (tables) the selection reads: that many statements, whatever N. */
  expected: number;
}

const CASES: Case[] = [
  { subgraph: 'civil-status', typename: 'Citizen', keyField: 'personalNumber', keySql: 'SELECT personal_number FROM citizen ORDER BY personal_number', selection: 'fullName birthDate', expected: 1 },
  { subgraph: 'civil-status', typename: 'Citizen', keyField: 'personalNumber', keySql: 'SELECT personal_number FROM citizen ORDER BY personal_number', selection: 'fullName civilStatusRecords { items { type } }', expected: 2 },
  { subgraph: 'civil-status', typename: 'Dossier', keyField: 'code', keySql: 'SELECT dossier_code FROM civil_status_record WHERE dossier_code IS NOT NULL', selection: 'civilStatusRecords { type }', expected: 1 },
  { subgraph: 'business-registration', typename: 'Enterprise', keyField: 'enterpriseCode', keySql: 'SELECT enterprise_code FROM enterprise ORDER BY enterprise_code', selection: 'name businessLines { vsicCode }', expected: 2 },
  { subgraph: 'business-registration', typename: 'Citizen', keyField: 'personalNumber', keySql: 'SELECT legal_representative_personal_number FROM enterprise', selection: 'enterprises { items { name } }', expected: 1 },
  { subgraph: 'land', typename: 'LandParcel', keyField: 'id', keySql: 'SELECT id FROM land_parcel ORDER BY id', selection: 'area usePurposeName', expected: 1 },
  { subgraph: 'land', typename: 'Citizen', keyField: 'personalNumber', keySql: 'SELECT holder_personal_number FROM land_use_right WHERE holder_personal_number IS NOT NULL', selection: 'landRights { items { certificateSerial } }', expected: 1 },
  { subgraph: 'land', typename: 'Dossier', keyField: 'code', keySql: 'SELECT dossier_code FROM land_transaction', selection: 'landTransaction { type parcel { area } }', expected: 2 },
  { subgraph: 'tax', typename: 'Citizen', keyField: 'personalNumber', keySql: 'SELECT taxpayer_personal_number FROM tax_obligation WHERE taxpayer_personal_number IS NOT NULL', selection: 'taxObligations { items { amount } }', expected: 1 },
  { subgraph: 'tax', typename: 'Enterprise', keyField: 'enterpriseCode', keySql: 'SELECT enterprise_code FROM tax_profile', selection: 'taxProfile { status }', expected: 1 },
  { subgraph: 'tax', typename: 'LandParcel', keyField: 'id', keySql: 'SELECT parcel_id FROM tax_obligation WHERE parcel_id IS NOT NULL', selection: 'landTaxes { items { amount } }', expected: 1 },
  { subgraph: 'single-window', typename: 'Dossier', keyField: 'code', keySql: 'SELECT code FROM dossier ORDER BY code', selection: 'status procedure { name } timeline { action }', expected: 3 },
  { subgraph: 'single-window', typename: 'Citizen', keyField: 'personalNumber', keySql: 'SELECT applicant_personal_number FROM dossier WHERE applicant_personal_number IS NOT NULL', selection: 'dossiers { items { code } }', expected: 1 },
  { subgraph: 'single-window', typename: 'Procedure', keyField: 'code', keySql: 'SELECT code FROM procedure_catalogue', selection: 'name', expected: 1 },
];

for (const c of CASES) {
  test(`${c.subgraph}: _entities of up to ${N} ${c.typename} { ${c.selection} } costs ${c.expected} SQL statement(s), as does 1`, async () => {
    const all = [...new Set(await keys(c.subgraph, c.keySql))];
    const count = Math.min(N, all.length);
    assert.ok(count >= (c.typename === 'Procedure' ? 10 : 20), `only ${all.length} ${c.typename} keys`);
    const many = await entitiesQueries(c.subgraph, c.typename, c.keyField, all, c.selection, count);
    const one = await entitiesQueries(c.subgraph, c.typename, c.keyField, all, c.selection, 1);
    assert.equal(many, c.expected, `${count} representations cost ${many} statements`);
    assert.equal(one, c.expected);
  });
}
