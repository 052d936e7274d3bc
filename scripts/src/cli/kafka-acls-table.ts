import { AccessTable, CONTRACTS, deadLetterTopicFor, MEMBERS, notificationTopic, topicFor } from '@onestop/platform';

/** One Kafka ACL: ALLOW `operation` on a topic or (prefixed) group to User:`principal`, from any host. */
export interface AclRow {
  principal: string;
  operation: 'READ' | 'WRITE';
  resourceType: 'TOPIC' | 'GROUP';
  pattern: 'LITERAL' | 'PREFIXED';
  resource: string;
  why: string;
}

/**
 * The notification channels: who publishes on them (single-window's outbox) and who reads them (single-window's
 * notifier, the gateway's subscriptions and catalogue cache). Not contracts: nobody is addressed.
 */
export const NOTIFICATION_CHANNELS: Record<string, { publishers: string[]; readers: string[] }> = {
  'dossier-status': { publishers: ['single-window'], readers: ['single-window', 'gateway'] },
  'procedure-catalogue': { publishers: ['single-window'], readers: ['gateway'] },
};

/** The Kafka users besides admin: every member, and the gateway. */
export const KAFKA_USERS: readonly string[] = [...MEMBERS, 'gateway'];

/** Every topic the bus needs: each member's inbox and dead letters, and the notification topics. */
export function busTopics(prefix?: string): string[] {
  return [
    ...MEMBERS.flatMap((member) => [topicFor(member, prefix), deadLetterTopicFor(member, prefix)]),
    ...Object.keys(NOTIFICATION_CHANNELS).map((channel) => notificationTopic(channel, prefix)),
  ];
}

/**
 * The ACLs the access table grants, nothing more (the brokers deny everything else):
 * - a member WRITEs to the inbox of every recipient some contract lets it send to, to its own dead-letter topic, and to
 *   its own inbox (an operator replays its dead letters there);
 * - it READs its own inbox and its own dead letters, with consumer groups named `onestop-<member>…`;
 * - notification topics: their publishers WRITE, their readers READ (the gateway with groups `onestop-gateway…`).
 * No CREATE: `kafka:acls` creates the topics as admin. READ and WRITE imply DESCRIBE.
 */
export function aclTable(access: AccessTable = AccessTable.load(), prefix?: string): AclRow[] {
  const rows: AclRow[] = [];
  const add = (row: AclRow) => {
    if (!rows.some((r) => r.principal === row.principal && r.operation === row.operation && r.resourceType === row.resourceType && r.pattern === row.pattern && r.resource === row.resource)) rows.push(row);
  };
  for (const member of MEMBERS) {
    for (const contract of CONTRACTS) {
      for (const recipient of MEMBERS) {
        if (access.allows({ sender: member, messageType: contract.messageType, recipient })) {
          add({ principal: member, operation: 'WRITE', resourceType: 'TOPIC', pattern: 'LITERAL', resource: topicFor(recipient, prefix), why: `sends ${contract.messageType} to ${recipient}` });
        }
      }
    }
    add({ principal: member, operation: 'WRITE', resourceType: 'TOPIC', pattern: 'LITERAL', resource: deadLetterTopicFor(member, prefix), why: 'dead-letters what it cannot apply' });
    add({ principal: member, operation: 'WRITE', resourceType: 'TOPIC', pattern: 'LITERAL', resource: topicFor(member, prefix), why: 'replays its dead letters' });
    add({ principal: member, operation: 'READ', resourceType: 'TOPIC', pattern: 'LITERAL', resource: topicFor(member, prefix), why: 'its inbox' });
    add({ principal: member, operation: 'READ', resourceType: 'TOPIC', pattern: 'LITERAL', resource: deadLetterTopicFor(member, prefix), why: 'lists its dead letters' });
    add({ principal: member, operation: 'READ', resourceType: 'GROUP', pattern: 'PREFIXED', resource: `onestop-${member}`, why: 'its consumer groups' });
  }
  for (const [channel, { publishers, readers }] of Object.entries(NOTIFICATION_CHANNELS)) {
    const topic = notificationTopic(channel, prefix);
    for (const publisher of publishers) add({ principal: publisher, operation: 'WRITE', resourceType: 'TOPIC', pattern: 'LITERAL', resource: topic, why: `publishes ${channel} notifications` });
    for (const reader of readers) {
      add({ principal: reader, operation: 'READ', resourceType: 'TOPIC', pattern: 'LITERAL', resource: topic, why: `follows ${channel} notifications` });
      add({ principal: reader, operation: 'READ', resourceType: 'GROUP', pattern: 'PREFIXED', resource: `onestop-${reader}`, why: 'its consumer groups' });
    }
  }
  return rows;
}

export function formatAclTable(rows: AclRow[]): string {
  const header = ['principal', 'operation', 'resource', 'name', 'why'];
  const lines = rows.map((r) => [`User:${r.principal}`, r.operation, `${r.resourceType}${r.pattern === 'PREFIXED' ? ' (prefix)' : ''}`, r.resource, r.why]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  return [header, ...lines].map((l) => l.map((cell, i) => (i === l.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}
