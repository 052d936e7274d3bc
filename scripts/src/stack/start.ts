import path from 'node:path';
import { parseArgs } from 'node:util';
import { databaseConfig, describeDatabase, intFromEnv, mintDevToken } from '@onestop/platform';
import { isSeeded } from '../demo-data';
import { seedWithProgress } from '../cli/seed';
import { findMother, findRichCitizen } from './examples';
import { procedureCode, CENTER } from '../demo-data/reference';
import { RunningPartner, startPartners } from './partners';
import { ADMIN, startStack } from './stack';
import { SUBGRAPHS } from './subgraphs';

const EXAMPLE_QUERY = `query CitizenOverview($personalNumber: String!) {
  citizen(personalNumber: $personalNumber) {
    fullName birthDate
    civilStatusRecords { items { type registeredOn } }
    dossiers { items { code status statusCode appointmentAt procedure { name } } }
    landRights { items { certificateSerial parcel { id area usePurposeName } } }
    taxObligations { items { kindName amount dueDate status } }
    enterprises { items { enterpriseCode name } }
  }
}`;

async function main() {
  const { values } = parseArgs({ options: { 'no-seed': { type: 'boolean' }, citizens: { type: 'string' } } });
  const citizens = values.citizens ? Number(values.citizens) : intFromEnv('SEED_CITIZENS', 2000);
  console.log(`Databases: ${SUBGRAPHS.map((s) => describeDatabase(databaseConfig(s.name))).join(', ')}`);

  if (!values['no-seed'] && !(await isSeeded())) {
    console.log(`First run: seeding demo data for ${citizens} citizens (npm run seed -- --reset --citizens N to change)…`);
    await seedWithProgress({ citizens });
  }

  const stack = await startStack({ basePort: intFromEnv('GATEWAY_PORT', 4000), output: 'quiet' });
  // Police and social insurance are outside the graph; locally, stand-ins answer for them (PARTNER_STAND_INS=0 to turn off).
  const partners: RunningPartner[] = process.env.PARTNER_STAND_INS === '0' ? [] : await startPartners();
  const admin = await stack.as(ADMIN);
  const personalNumber = await findRichCitizen(stack.gatewayUrl, admin);
  const mother = await findMother(stack.gatewayUrl, admin);
  const citizenToken = personalNumber ? await mintDevToken({ role: 'citizen', subject: personalNumber }) : null;
  const motherToken = mother ? await mintDevToken({ role: 'citizen', subject: mother.personalNumber }) : null;
  const counterToken = await mintDevToken({ role: 'officer', subject: 'mc.nguyenvana', agency: CENTER, sector: 'SERVICE_CENTER' });
  const birth = mother && {
    query: 'mutation Birth($input: SubmitDossierInput!) { registerDossierOnline(input: $input) { code status } }',
    variables: { input: {
      procedureCode: procedureCode('1.001193'), receivingAgencyCode: CENTER, channel: 'ONLINE', applicantName: 'Người đi khai sinh',
      applicantPersonalNumber: mother.personalNumber,
      birthRegistration: {
        childName: 'Nguyễn An Nhiên', birthDate: new Date().toISOString().slice(0, 10), sex: 'FEMALE', birthProvinceCode: '099',
        communeCode: mother.residenceCommuneCode, motherPersonalNumber: mother.personalNumber,
      },
    } },
  };
  const bus = process.env.KAFKA_BROKERS ? `Kafka at ${process.env.KAFKA_BROKERS}` : `embedded (${path.resolve(process.env.DATA_DIR || '.data', 'handoff-bus.sqlite')}; set KAFKA_BROKERS for Kafka)`;
  const shellQuote = (body: unknown) => JSON.stringify(body).replace(/'/g, "'\\''");
  const variables = JSON.stringify({ personalNumber: personalNumber ?? '001090000001' });
  console.log(`
One-stop graph is up.
  Gateway (GraphQL):  ${stack.gatewayUrl}
  Explorer:           ${new URL('/explorer', stack.gatewayUrl)}  (GraphiQL with saved analyst reports; paste a token)
  Portal:             ${new URL('/portal/', stack.gatewayUrl)}  (the reference citizen portal and officer console)
  Subscriptions:      ${stack.gatewayUrl.replace(/^http/, 'ws')}  (graphql-ws: dossierStatusChanged(code), a citizen's myDossierStatusChanged)
  Health / readiness: ${new URL('/health', stack.gatewayUrl)}  ${new URL('/ready', stack.gatewayUrl)}
  Metrics:            ${new URL('/metrics', stack.gatewayUrl)}  (and /metrics on every subgraph)
  Subgraphs:          ${stack.subgraphs.map((s) => `${s.name} ${s.url}`).join('\n                      ')}

Tokens (development issuer; trusted only outside production)
  npm run token -- citizen <personal number>      npm run token -- officer <agency code> <sector> [id]
  npm run token -- analyst [id]                   npm run token -- admin [id]   (also agency-system <agency> <sector>)
  Send as: -H "authorization: Bearer <token>". Without a token only public data (procedures, agencies) answers.

Example: a citizen's own overview across all five subgraphs (as that citizen)
  curl -s ${stack.gatewayUrl} -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${citizenToken ?? '<npm run token -- citizen …>'}' \\
    -d '${shellQuote({ query: EXAMPLE_QUERY.replace(/\s+/g, ' '), variables: JSON.parse(variables) })}'

Handoffs between agencies
  Bus:                ${bus}
  Partner stand-ins:  ${partners.length ? partners.map((p) => p.name).join(', ') + ' (answer births and deaths as those agencies would)' : 'off'}
${birth ? `  A birth registration the mother files online, that travels single window → civil status → police + social insurance → back:
  curl -s ${stack.gatewayUrl} -H 'content-type: application/json' -H 'authorization: Bearer ${motherToken}' \\
    -d '${shellQuote(birth)}'
  it waits at status 1 until the counter receives it (form 01), then travels:
  curl -s ${stack.gatewayUrl} -H 'content-type: application/json' -H 'authorization: Bearer ${counterToken}' \\
    -d '{"query":"mutation { acceptDossier(code: \\"…\\") { status } }"}'
  then ask for { dossier(code: "…") { status timeline { action status note } civilStatusHandoffLog { sender recipient messageType outcome } } }
` : ''}  Dead letters:       npm run handoffs -- dead-letters list civil-status

Stop with Ctrl+C.`);

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const partner of partners) await partner.stop();
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  for (const proc of [...stack.subgraphs, stack.gateway]) {
    proc.child.once('exit', (code) => {
      if (stopping) return;
      console.error(`${proc.name} stopped (exit code ${code}); stopping the others.\n${proc.output.slice(-10).join('\n')}`);
      void shutdown(1);
    });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
