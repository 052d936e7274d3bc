import { parseArgs } from 'node:util';
import { Identity, isRole, mintDevToken, validatePersonalNumber } from '@onestop/platform';

const USAGE = `Usage: npm run token -- <role> [arguments] [--ttl SECONDS] [--name NAME]

Mints a development token, signed by the dev issuer (AUTH_KEYS_DIR, default .data/auth), which the gateway trusts
outside production only. Roles and their arguments:
  citizen <personal number>
  officer <agency code> <sector> [officer id] [--unit COMMUNE CODE]
  agency-system <agency code> <sector> [client id]
  analyst [id]
  admin [id]
Sectors: SERVICE_CENTER, LAND, TAX, BUSINESS_REGISTRATION, CIVIL_STATUS.
Example: npm run token -- officer H99.TAX.00 TAX thue.tranthib`;

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { ttl: { type: 'string' }, name: { type: 'string' }, unit: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [role, ...rest] = positionals;
  if (values.help || !role) {
    console.log(USAGE);
    process.exit(role ? 0 : 2);
  }
  if (!isRole(role)) throw new Error(`unknown role "${role}"\n\n${USAGE}`);
  let identity: Identity;
  if (role === 'citizen') {
    const check = validatePersonalNumber(rest[0]);
    if (!check.ok) throw new Error(`citizen needs a personal number: ${check.reason}`);
    identity = { role, subject: check.value };
  } else if (role === 'officer' || role === 'agency-system') {
    const [agency, sector, subject] = rest;
    if (!agency || !sector) throw new Error(`${role} needs an agency code and a sector\n\n${USAGE}`);
    identity = { role, agency, sector: sector.toUpperCase(), subject: subject ?? `${role}.${agency}`, unit: values.unit };
  } else {
    identity = { role, subject: rest[0] ?? `${role}.dev` };
  }
  if (values.name) identity.name = values.name;
  const ttlSeconds = values.ttl ? Number(values.ttl) : undefined;
  if (ttlSeconds !== undefined && (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)) throw new Error('--ttl takes a positive number of seconds');
  console.log(await mintDevToken(identity, { ttlSeconds }));
}

main().catch((error) => {
  console.error(String(error?.message ?? error));
  process.exit(2);
});
