import { parseArgs } from 'node:util';
import { databaseConfig, describeDatabase, intFromEnv } from '@onestop/platform';
import { isSeeded, seedDemoData } from './demo-data';
import { findRichCitizen } from './examples';
import { startStack } from './stack';
import { SUBGRAPHS } from './subgraphs';

const EXAMPLE_QUERY = `query CitizenOverview($personalNumber: String!) {
  citizen(personalNumber: $personalNumber) {
    fullName birthDate
    civilStatusRecords { type registeredOn }
    dossiers { code status statusCode appointmentAt procedure { name } }
    landRights { certificateSerial parcel { id area usePurposeName } }
    taxObligations { kindName amount dueDate status }
    enterprises { enterpriseCode name }
  }
}`;

async function main() {
  const { values } = parseArgs({ options: { 'no-seed': { type: 'boolean' }, citizens: { type: 'string' } } });
  const citizens = values.citizens ? Number(values.citizens) : intFromEnv('SEED_CITIZENS', 2000);
  console.log(`Databases: ${SUBGRAPHS.map((s) => describeDatabase(databaseConfig(s.name))).join(', ')}`);

  if (!values['no-seed'] && !(await isSeeded())) {
    console.log(`First run: seeding demo data for ${citizens} citizens (npm run seed -- --reset --citizens N to change)…`);
    let lastStage = '';
    await seedDemoData({
      citizens,
      progress: (stage, done, total) => {
        if (stage !== lastStage) process.stdout.write(`${lastStage ? '\n' : ''}  ${stage}`);
        lastStage = stage;
        if (done === total) process.stdout.write(` ${total}`);
      },
    });
    process.stdout.write('\n');
  }

  const stack = await startStack({ basePort: intFromEnv('GATEWAY_PORT', 4000), output: 'quiet' });
  const personalNumber = await findRichCitizen(stack.gatewayUrl);
  const variables = JSON.stringify({ personalNumber: personalNumber ?? '001090000001' });
  console.log(`
One-stop graph is up.
  Gateway (GraphQL):  ${stack.gatewayUrl}
  Health / readiness: ${new URL('/health', stack.gatewayUrl)}  ${new URL('/ready', stack.gatewayUrl)}
  Subgraphs:          ${stack.subgraphs.map((s) => `${s.name} ${s.url}`).join('\n                      ')}

Example: one citizen across all five subgraphs
  curl -s ${stack.gatewayUrl} -H 'content-type: application/json' \\
    -d '${JSON.stringify({ query: EXAMPLE_QUERY.replace(/\s+/g, ' '), variables: JSON.parse(variables) }).replace(/'/g, "'\\''")}'

Stop with Ctrl+C.`);

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
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
