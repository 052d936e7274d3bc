import { CONTRACTS, Contract, notificationTopic } from '@onestop/platform';
import { exampleEnvelope } from './handoff-examples';
import {
  consumerGroup, contractsTo, DEAD_LETTER_HEADERS, deadLetterTopic, dossierCodeSchema, inboxTopic, recipients, RELAY_HEADERS, REPLAY_HEADERS,
  schemaFile, TOPIC_PREFIX,
} from './handoff-model';
import { accessSection, deadLetterSection, deliverySection, recordSection, signingSection, topicsSection } from './handoff-prose';

/** The AsyncAPI 3.0.0 document of the handoff bus, as a plain value (written as YAML). */

const KAFKA_BINDING_VERSION = '0.5.0';

const pascal = (name: string) => name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
const camel = (name: string) => pascal(name).replace(/^./, (c) => c.toLowerCase());
/** `land.transfer-requested` v1 → `landTransferRequestedV1` */
export const messageKey = (contract: Contract) => `${camel(contract.messageType)}V${contract.schemaVersion}`;
export const inboxChannel = (member: string) => `${camel(member)}Inbox`;
export const deadLetterChannel = (member: string) => `${camel(member)}DeadLetters`;

const headerSchema = (headers: readonly [string, string][], required: string[] = []) => ({
  type: 'object',
  properties: Object.fromEntries(headers.map(([name, description]) => [name, { type: 'string', description }])),
  ...(required.length ? { required } : {}),
});

function contractMessage(contract: Contract) {
  const example = exampleEnvelope(contract);
  return {
    name: contract.messageType,
    title: `${contract.messageType} v${contract.schemaVersion}`,
    summary: contract.summary,
    description: `Sent by ${contract.senders.join(', ')} to ${contract.recipients.join(', ')}, on the recipient's topic. `
      + `The value is the signed envelope; its payload follows the ${contract.messageType} contract.`,
    contentType: 'application/json',
    correlationId: { $ref: '#/components/correlationIds/dossierCode' },
    headers: { $ref: '#/components/schemas/handoffHeaders' },
    payload: { $ref: `./${schemaFile(contract).slice('handoffs/'.length)}` },
    bindings: { $ref: '#/components/messageBindings/dossierKey' },
    'x-senders': [...contract.senders],
    'x-recipients': [...contract.recipients],
    examples: [{
      name: `${messageKey(contract)}Example`,
      summary: `${example.sender} → ${example.recipient}, dossier ${example.correlationId}, signed with the documentation example key`,
      headers: { 'x-message-id': example.messageId, 'x-sender': example.sender },
      payload: example,
    }],
  };
}

function deadLetterMessage() {
  const contract = CONTRACTS.find((c) => c.recipients.includes('land'))!;
  const example = exampleEnvelope(contract);
  return {
    name: 'dead-letter',
    title: 'Dead letter',
    summary: 'A message its recipient could not apply, unchanged, with the reason in headers',
    contentType: 'application/json',
    headers: headerSchema([...RELAY_HEADERS, ...DEAD_LETTER_HEADERS], DEAD_LETTER_HEADERS.map(([name]) => name)),
    payload: { description: 'The original value, byte for byte: usually an envelope, but whatever could not be parsed too' },
    bindings: { kafka: { key: { type: 'string', description: 'The original key, unchanged (normally the dossier code)' }, bindingVersion: KAFKA_BINDING_VERSION } },
    examples: [{
      name: 'badSignature',
      summary: 'A message altered after signing',
      headers: {
        'x-message-id': example.messageId, 'x-sender': example.sender,
        'x-dead-letter-reason': `bad signature: not signed by ${example.sender}, or altered`,
        'x-original-topic': inboxTopic(example.recipient), 'x-original-partition': '3', 'x-original-offset': '1042',
        'x-dead-lettered-by': example.recipient, 'x-dead-lettered-at': '2025-10-15T02:10:01.250Z',
      },
      payload: { ...example, officerId: 'someone.else' },
    }],
  };
}

/** The status notifications single-window publishes: not a handoff (no contract), signed the same way. */
const STATUS_CHANNEL = 'dossierStatusNotifications';

function statusNotificationMessage() {
  return {
    name: 'dossier.status-notification',
    title: 'Dossier status notification',
    summary: 'A dossier changed status (received, transferred, reported by an agency, resolved, returned…)',
    description: 'Published by single-window in the transaction that changed the status (outbox), on one topic for every dossier, keyed '
      + 'by the dossier code. An envelope like a handoff (recipient = notifications), signed by single-window. Consumers: the gateway '
      + '(live subscriptions; a group per process, from the end of the topic) and single-window\'s notifier (SMS / e-mail to the '
      + 'applicant; group onestop-single-window-notifier-dossier-status, each notice sent once). Others may subscribe with their '
      + 'own group, e.g. a provincial dashboard; verify the signature with single-window\'s public key.',
    contentType: 'application/json',
    correlationId: { $ref: '#/components/correlationIds/dossierCode' },
    headers: { $ref: '#/components/schemas/handoffHeaders' },
    payload: {
      type: 'object',
      description: 'The envelope (see any handoff schema for its fields) with recipient "notifications", messageType "dossier.status-notification", schemaVersion 1 and this payload',
      required: ['messageId', 'correlationId', 'sender', 'recipient', 'messageType', 'payload', 'signature'],
      properties: {
        recipient: { const: 'notifications' },
        messageType: { const: 'dossier.status-notification' },
        payload: {
          type: 'object',
          required: ['code', 'status', 'statusCode', 'at'],
          properties: {
            code: { type: 'string', description: 'The dossier code' },
            status: { type: 'string', description: 'The lifecycle status, e.g. RECEIVED, SUPPLEMENT_REQUESTED, RESOLVED' },
            statusCode: { type: 'integer', minimum: 1, maximum: 10, description: 'The national portal status code' },
            at: { type: 'string', format: 'date-time' },
            appointmentAt: { type: ['string', 'null'], format: 'date-time', description: 'The appointment (ngày hẹn trả) after this step' },
          },
        },
      },
    },
    bindings: { $ref: '#/components/messageBindings/dossierKey' },
  };
}

/** Catalogue changes single-window publishes: the gateway drops its cached catalogue answers. */
const CATALOGUE_CHANNEL = 'procedureCatalogueNotifications';

function catalogueNotificationMessage() {
  return {
    name: 'procedure.catalogue-changed',
    title: 'Procedure catalogue changed',
    summary: 'An entry of the procedure catalogue was changed (updateProcedure)',
    description: 'Published by single-window in the transaction that changed the entry (outbox), keyed by the procedure code. '
      + 'An envelope like a handoff (recipient = notifications), signed by single-window. Consumer: the gateway, which drops the '
      + 'catalogue answers it caches (a group per process, from the end of the topic).',
    contentType: 'application/json',
    headers: { $ref: '#/components/schemas/handoffHeaders' },
    payload: {
      type: 'object',
      description: 'The envelope with recipient "notifications", messageType "procedure.catalogue-changed", schemaVersion 1 and this payload',
      required: ['messageId', 'correlationId', 'sender', 'recipient', 'messageType', 'payload', 'signature'],
      properties: {
        recipient: { const: 'notifications' },
        messageType: { const: 'procedure.catalogue-changed' },
        payload: {
          type: 'object',
          required: ['code', 'at'],
          properties: {
            code: { type: 'string', description: 'The procedure code' },
            at: { type: 'string', format: 'date-time' },
          },
        },
      },
    },
  };
}

function channels() {
  return Object.fromEntries([[STATUS_CHANNEL, {
    address: notificationTopic('dossier-status', TOPIC_PREFIX),
    title: 'Dossier status notifications',
    description: 'Every status change of every dossier, as single-window records it.',
    messages: { dossierStatusNotification: { $ref: '#/components/messages/dossierStatusNotification' } },
  }] as const, [CATALOGUE_CHANNEL, {
    address: notificationTopic('procedure-catalogue', TOPIC_PREFIX),
    title: 'Procedure catalogue notifications',
    description: 'Every change of the procedure catalogue.',
    messages: { procedureCatalogueChanged: { $ref: '#/components/messages/procedureCatalogueChanged' } },
  }] as const, ...recipients().flatMap((member) => [
    [inboxChannel(member), {
      address: inboxTopic(member),
      title: `${member} inbox`,
      description: `Handoffs to ${member}. Every envelope on it has recipient = ${member}; anything else is dead-lettered as misaddressed.`,
      messages: Object.fromEntries(contractsTo(member).map((c) => [messageKey(c), { $ref: `#/components/messages/${messageKey(c)}` }])),
    }],
    [deadLetterChannel(member), {
      address: deadLetterTopic(member),
      title: `${member} dead letters`,
      description: `What ${member} received on ${inboxTopic(member)} but could not apply, unchanged, with the reason in headers.`,
      messages: { deadLetter: { $ref: '#/components/messages/deadLetter' } },
    }],
  ])]);
}

function operations() {
  const status = [{ $ref: `#/channels/${STATUS_CHANNEL}/messages/dossierStatusNotification` }];
  const catalogue = [{ $ref: `#/channels/${CATALOGUE_CHANNEL}/messages/procedureCatalogueChanged` }];
  return Object.fromEntries([
    ['publishDossierStatus', {
      action: 'send', channel: { $ref: `#/channels/${STATUS_CHANNEL}` }, title: 'single-window publishes each status change',
      summary: 'From its outbox, after the transaction that changed the status committed.', messages: status,
    }],
    ['notifyApplicants', {
      action: 'receive', channel: { $ref: `#/channels/${STATUS_CHANNEL}` }, title: 'single-window\'s notifier tells the applicant',
      summary: 'SMS and/or e-mail on receipt, supplement request, financial obligation, stop and result; one notice per message and medium.',
      bindings: { kafka: { groupId: { type: 'string', enum: ['onestop-single-window-notifier-dossier-status'] }, bindingVersion: KAFKA_BINDING_VERSION } },
      messages: status,
    }],
    ['followDossierStatus', {
      action: 'receive', channel: { $ref: `#/channels/${STATUS_CHANNEL}` }, title: 'the gateway feeds live subscriptions',
      summary: 'Each gateway process in a group of its own, from the end of the topic; an event only triggers a re-read of the dossier as the subscriber.',
      messages: status,
    }],
    ['publishCatalogueChanges', {
      action: 'send', channel: { $ref: `#/channels/${CATALOGUE_CHANNEL}` }, title: 'single-window publishes each catalogue change',
      summary: 'From its outbox, after the transaction that changed the entry committed.', messages: catalogue,
    }],
    ['dropCachedCatalogue', {
      action: 'receive', channel: { $ref: `#/channels/${CATALOGUE_CHANNEL}` }, title: 'the gateway drops its cached catalogue answers',
      summary: 'Each gateway process in a group of its own, from the end of the topic.',
      messages: catalogue,
    }],
    ...recipients().flatMap((member) => {
    const inbox = inboxChannel(member);
    const messages = contractsTo(member).map((c) => ({ $ref: `#/channels/${inbox}/messages/${messageKey(c)}` }));
    const allowed = contractsTo(member).map((c) => `${c.messageType} from ${c.senders.join(', ')}`).join('; ');
    return [
      [`sendTo${pascal(member)}`, {
        action: 'send',
        channel: { $ref: `#/channels/${inbox}` },
        title: `Send a handoff to ${member}`,
        summary: `The senders' view: ${allowed}.`,
        description: 'Sign the envelope with your private key, use the dossier code as key, and publish with acks=all. '
          + 'Keep the message (same messageId) and publish it again until the broker acknowledges.',
        messages,
      }],
      [`receiveOn${pascal(member)}`, {
        action: 'receive',
        channel: { $ref: `#/channels/${inbox}` },
        title: `${member} receives its handoffs`,
        summary: `${member} consumes in group ${consumerGroup(member)}, verifies, applies each messageId once, then commits the offset.`,
        bindings: { kafka: { groupId: { type: 'string', enum: [consumerGroup(member)] }, bindingVersion: KAFKA_BINDING_VERSION } },
        messages,
      }],
      [`deadLetterOn${pascal(member)}`, {
        action: 'send',
        channel: { $ref: `#/channels/${deadLetterChannel(member)}` },
        title: `${member} sets aside what it cannot apply`,
        summary: `${member} copies a refused message to ${deadLetterTopic(member)} with the reason, then moves on.`,
        messages: [{ $ref: `#/channels/${deadLetterChannel(member)}/messages/deadLetter` }],
      }],
    ];
  })]);
}

export function asyncApiDocument(version: string): Record<string, unknown> {
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'One-stop shop handoffs between agencies',
      version,
      description: [
        'Signed JSON envelopes between the agencies of the one-stop shop (một cửa liên thông), over Kafka.',
        'Generated by `npm run schemas` from platform/src/handoffs/contracts.ts and envelope.ts; do not edit.',
        'Each message value is an envelope described by the JSON Schema file next to this document (draft 2020-12, using only',
        'keywords that mean the same in draft-07). README.md next to it is the integration guide, with a worked signing example.',
        '', '## Topics', '', topicsSection(),
        '', '## The Kafka record', '', recordSection(),
        '', '## Signing', '', signingSection(),
        '', '## Access', '', accessSection(),
        '', '## Delivery', '', deliverySection(),
        '', '## Dead letters', '', deadLetterSection(),
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      development: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The local broker of this repository (`npm run kafka -- start`); production brokers and credentials are agreed out of band.',
      },
    },
    channels: channels(),
    operations: operations(),
    components: {
      schemas: {
        dossierCode: dossierCodeSchema(),
        handoffHeaders: headerSchema([...RELAY_HEADERS, ...REPLAY_HEADERS]),
      },
      messages: {
        ...Object.fromEntries(CONTRACTS.map((c) => [messageKey(c), contractMessage(c)])),
        deadLetter: deadLetterMessage(),
        dossierStatusNotification: statusNotificationMessage(),
        procedureCatalogueChanged: catalogueNotificationMessage(),
      },
      correlationIds: {
        dossierCode: { description: 'The dossier code, also the Kafka key', location: '$message.payload#/correlationId' },
      },
      messageBindings: {
        dossierKey: { kafka: { key: dossierCodeSchema(), bindingVersion: KAFKA_BINDING_VERSION } },
      },
    },
  };
}
