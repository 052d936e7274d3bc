import { parseArgs } from 'node:util';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, ResourcePatternTypes } from 'kafkajs';
import { kafkaSecurityFromEnv, KafkaTransport } from '@onestop/platform';
import { aclTable, AclRow, busTopics, formatAclTable, KAFKA_USERS } from './kafka-acls-table';

const USAGE = `npm run kafka:acls [-- --dry-run]
  Creates the bus's topics and makes the brokers' ACLs what the contracts' access table (and HANDOFF_ACCESS_FILE) grant:
  missing ACLs are created, ACLs of the members and the gateway that the table no longer grants are deleted.
  --dry-run prints the table and touches nothing. Connects as admin: KAFKA_BROKERS, KAFKA_SECURITY, KAFKA_CA_FILE,
  KAFKA_TLS_SERVERNAME, and KAFKA_ADMIN_PASSWORD / KAFKA_ADMIN_PASSWORD_FILE or KAFKA_CREDENTIALS_DIR/admin.password.`;

/** kafkajs's ACL constants are plain objects (name → code): their names by code. */
const nameOf = (table: object, code: number): string => Object.entries(table).find(([, value]) => value === code)?.[0] ?? String(code);

const key = (r: Pick<AclRow, 'principal' | 'operation' | 'resourceType' | 'pattern' | 'resource'>) => `${r.principal}|${r.operation}|${r.resourceType}|${r.pattern}|${r.resource}`;

export async function applyAcls(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<{ created: number; deleted: number }> {
  const brokers = (env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  if (!brokers.length) throw new Error('KAFKA_BROKERS is not set');
  const adminEnv = { ...env, KAFKA_USERNAME: env.KAFKA_ADMIN_USERNAME || 'admin', KAFKA_PASSWORD: env.KAFKA_ADMIN_PASSWORD ?? '', KAFKA_PASSWORD_FILE: env.KAFKA_ADMIN_PASSWORD_FILE ?? '' };
  const security = kafkaSecurityFromEnv('admin', adminEnv);
  const topics = busTopics();
  const transport = new KafkaTransport({
    brokers, clientId: 'onestop-admin', security,
    partitions: env.HANDOFF_PARTITIONS ? Number(env.HANDOFF_PARTITIONS) : undefined,
    replicationFactor: env.HANDOFF_REPLICATION_FACTOR ? Number(env.HANDOFF_REPLICATION_FACTOR) : undefined,
    deadLetterRetentionMs: env.HANDOFF_DEAD_LETTER_RETENTION_DAYS ? Math.round(Number(env.HANDOFF_DEAD_LETTER_RETENTION_DAYS) * 86_400_000) : -1,
  });
  try {
    await transport.ensureTopics(topics);
  } finally {
    await transport.close();
  }
  log(`${topics.length} topics present: ${topics.join(', ')}`);
  const admin = new Kafka({ clientId: 'onestop-admin', brokers, logLevel: logLevel.NOTHING, ...security }).admin();
  await admin.connect();
  try {
    const wanted = aclTable();
    const managed = new Set(KAFKA_USERS.map((user) => `User:${user}`));
    const described = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY,
    });
    const existing = described.resources.flatMap((resource) => resource.acls.map((acl) => ({
      principal: acl.principal, host: acl.host, operation: acl.operation, permissionType: acl.permissionType,
      resourceType: resource.resourceType, resourceName: resource.resourceName, resourcePatternType: resource.resourcePatternType,
    })));
    const asRow = (acl: (typeof existing)[number]) => key({
      principal: acl.principal.replace(/^User:/, ''), operation: nameOf(AclOperationTypes, acl.operation) as AclRow['operation'],
      resourceType: nameOf(AclResourceTypes, acl.resourceType) as AclRow['resourceType'],
      pattern: nameOf(ResourcePatternTypes, acl.resourcePatternType) as AclRow['pattern'], resource: acl.resourceName,
    });
    const wantedKeys = new Set(wanted.map(key));
    const present = new Set(existing.filter((acl) => acl.permissionType === AclPermissionTypes.ALLOW && acl.host === '*').map(asRow));
    const toCreate = wanted.filter((row) => !present.has(key(row)));
    // anything else granted to a managed user (a revoked contract, a hand-made ACL) goes
    const toDelete = existing.filter((acl) => managed.has(acl.principal) && !(acl.permissionType === AclPermissionTypes.ALLOW && acl.host === '*' && wantedKeys.has(asRow(acl))));
    if (toCreate.length) {
      await admin.createAcls({
        acl: toCreate.map((row) => ({
          principal: `User:${row.principal}`, host: '*', permissionType: AclPermissionTypes.ALLOW,
          operation: AclOperationTypes[row.operation], resourceType: AclResourceTypes[row.resourceType],
          resourcePatternType: ResourcePatternTypes[row.pattern], resourceName: row.resource,
        })),
      });
    }
    if (toDelete.length) await admin.deleteAcls({ filters: toDelete });
    log(`ACLs: ${wanted.length} granted by the contracts; ${toCreate.length} created, ${toDelete.length} removed.`);
    return { created: toCreate.length, deleted: toDelete.length };
  } finally {
    await admin.disconnect();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'dry-run': { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values['dry-run']) {
    console.log(`Topics (created by admin): ${busTopics().join(', ')}\n`);
    console.log(formatAclTable(aclTable()));
    return 0;
  }
  await applyAcls();
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
