/**
 * The handoff contracts: every message type, who may send it to whom, and the JSON Schema of its payload.
 * `npm run schemas` writes them to schemas/handoffs/ with an AsyncAPI document; an agency outside this repository
 * integrates from those files alone. The access table is derived from here: anything not listed is denied.
 */
export type Member =
  | 'single-window' | 'land' | 'tax' | 'business-registration' | 'civil-status' | 'police' | 'social-insurance';

export const MEMBERS: readonly Member[] = ['single-window', 'land', 'tax', 'business-registration', 'civil-status', 'police', 'social-insurance'];

export type JsonSchema = Record<string, unknown>;

export interface Contract {
  messageType: string;
  schemaVersion: number;
  summary: string;
  senders: readonly Member[];
  recipients: readonly Member[];
  payload: JsonSchema;
  /**
   * An answer: allowed only from each recipient of another contract back to that contract's senders, never as
   * senders × recipients (a refusal opens no new path between agencies, nor a Kafka ACL).
   */
  answer?: boolean;
}

const text = (maxLength: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength });
const personalNumber: JsonSchema = { type: 'string', pattern: '^[0-9]{12}$', description: '12-digit personal number' };
const enterpriseCode: JsonSchema = { type: 'string', pattern: '^[0-9]{10}(-[0-9]{3})?$', description: 'Enterprise code = tax code' };
const communeCode: JsonSchema = { type: 'string', pattern: '^[0-9]{5}$' };
const date: JsonSchema = { type: 'string', format: 'date' };
const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
const money: JsonSchema = { type: 'number', minimum: 0, description: 'Amount in đồng' };
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });

/** An object with exactly these properties; those named in `optional` may be left out. */
function object(properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    required: Object.keys(properties).filter((key) => !optional.includes(key)),
  };
}

const enterpriseRegistration = object({
  procedureCode: text(40),
  name: text(200),
  type: { enum: ['PRIVATE_ENTERPRISE', 'SINGLE_MEMBER_LLC', 'MULTI_MEMBER_LLC', 'JOINT_STOCK_COMPANY', 'PARTNERSHIP'] },
  address: text(300),
  communeCode,
  legalRepresentativePersonalNumber: personalNumber,
  charterCapital: money,
  businessLines: { type: 'array', minItems: 1, maxItems: 100, items: object({ vsicCode: { type: 'string', pattern: '^[0-9]{4}$' }, main: { type: 'boolean' } }) },
});

/** Who filed the dossier, set by the single window from the verified identity: the receiving agency decides standing with it. */
const filing = object({
  applicantPersonalNumber: nullable(personalNumber),
  applicantEnterpriseCode: nullable(enterpriseCode),
  channel: { enum: ['COUNTER', 'ONLINE', 'POSTAL'] },
  actor: nullable(object({ role: { enum: ['officer', 'agency-system', 'admin'] }, id: text(120), agency: nullable(text(40)) })),
});
const withFiling = (schema: JsonSchema): JsonSchema => ({
  ...schema,
  properties: { ...(schema.properties as Record<string, JsonSchema>), filing },
  required: [...(schema.required as string[]), 'filing'],
});

export const CONTRACTS: readonly Contract[] = [
  {
    messageType: 'dossier.status-changed', schemaVersion: 1,
    summary: 'An agency reports a dossier status change (national codes 1–10) to the service center',
    senders: ['land', 'tax', 'business-registration', 'civil-status'], recipients: ['single-window'],
    payload: object({
      statusCode: { type: 'integer', minimum: 1, maximum: 10 },
      status: text(40),
      at: dateTime,
      unitCode: text(40),
      reason: nullable(text(1000)),
    }, ['reason']),
  },
  {
    messageType: 'land.transfer-requested', schemaVersion: 1,
    summary: 'Single window hands a land transfer dossier to the land registration office',
    senders: ['single-window'], recipients: ['land'],
    payload: object({
      procedureCode: text(40),
      parcelId: { type: 'string', pattern: '^[0-9]{5}-[0-9]{1,4}-[0-9]{1,5}$' },
      transactionType: { enum: ['TRANSFER', 'GIFT', 'INHERITANCE'] },
      transferorPersonalNumber: personalNumber,
      transfereePersonalNumber: personalNumber,
      contractValue: money,
      handlingAgencyCode: text(30),
      filing,
    }, ['handlingAgencyCode']),
  },
  {
    messageType: 'land.cadastral-information', schemaVersion: 1,
    summary: 'Phiếu chuyển thông tin địa chính: land sends what tax needs to determine financial obligations (Joint Circular 88/2016)',
    senders: ['land'], recipients: ['tax'],
    payload: object({
      transferorPersonalNumber: personalNumber,
      transfereePersonalNumber: personalNumber,
      parcel: object({
        id: text(24), communeCode, mapSheet: { type: 'integer', minimum: 1 }, parcelNumber: { type: 'integer', minimum: 1 },
        area: { type: 'number', exclusiveMinimum: 0 }, usePurpose: text(10), term: nullable(date), origin: nullable(text(200)),
      }),
      transaction: object({ type: { enum: ['TRANSFER', 'GIFT', 'INHERITANCE'] }, contractValue: money }),
      exemptionGrounds: nullable(text(500)),
    }, ['exemptionGrounds']),
  },
  {
    messageType: 'tax.supplement-requested', schemaVersion: 1,
    summary: 'Tax asks land for missing information before it can issue a notice',
    senders: ['tax'], recipients: ['land', 'business-registration'],
    payload: object({ reasons: { type: 'array', minItems: 1, items: text(500) }, missingItems: { type: 'array', items: text(200) } }),
  },
  {
    messageType: 'tax.payment-notice', schemaVersion: 1,
    summary: 'Thông báo nộp tiền: tax tells land (and the citizen) what is owed for the dossier',
    senders: ['tax'], recipients: ['land'],
    payload: object({
      noticeNumber: text(30),
      lines: { type: 'array', minItems: 1, items: object({ kind: text(40), amount: money }) },
      totalAmount: money,
      dueDate: date,
      treasuryAccount: text(30),
      paymentReference: text(40),
    }),
  },
  {
    messageType: 'tax.payment-confirmed', schemaVersion: 1,
    summary: 'Tax confirms the financial obligations of the dossier are paid',
    senders: ['tax'], recipients: ['land'],
    payload: object({ noticeNumber: text(30), receiptNumber: text(40), amount: money, paidAt: dateTime }),
  },
  {
    messageType: 'land.certificate-issued', schemaVersion: 1,
    summary: 'Land reports the certificate issued for the dossier to the service center',
    senders: ['land'], recipients: ['single-window'],
    payload: object({ parcelId: text(24), certificateSerial: text(20), registerNumber: text(30), holderPersonalNumber: personalNumber }),
  },
  {
    messageType: 'business.registration-requested', schemaVersion: 1,
    summary: 'Single window hands an enterprise registration dossier to the business registration office',
    senders: ['single-window'], recipients: ['business-registration'],
    payload: withFiling(enterpriseRegistration),
  },
  {
    messageType: 'business.enterprise-registration', schemaVersion: 1,
    summary: 'Business registration asks tax for the enterprise code (= tax code) of a new enterprise',
    senders: ['business-registration'], recipients: ['tax'],
    payload: enterpriseRegistration,
  },
  {
    messageType: 'tax.enterprise-code-assigned', schemaVersion: 1,
    summary: 'Tax assigns the enterprise code and the managing tax office',
    senders: ['tax'], recipients: ['business-registration'],
    payload: object({ enterpriseCode, managingTaxOffice: text(10) }),
  },
  {
    messageType: 'tax.enterprise-registration-rejected', schemaVersion: 1,
    summary: 'Tax refuses to assign a code, with the reason',
    senders: ['tax'], recipients: ['business-registration'],
    payload: object({ reason: text(1000) }),
  },
  {
    messageType: 'civil-status.birth-registration-requested', schemaVersion: 1,
    summary: 'Single window hands a birth registration dossier to the commune civil-status officer',
    senders: ['single-window'], recipients: ['civil-status'],
    payload: object({
      childName: text(120), birthDate: date, sex: { enum: ['MALE', 'FEMALE'] }, birthProvinceCode: { type: 'string', pattern: '^[0-9]{3}$' },
      communeCode, motherPersonalNumber: personalNumber, fatherPersonalNumber: nullable(personalNumber), filing,
    }, ['fatherPersonalNumber']),
  },
  {
    messageType: 'civil-status.death-registration-requested', schemaVersion: 1,
    summary: 'Single window hands a death registration dossier to the commune civil-status officer',
    senders: ['single-window'], recipients: ['civil-status'],
    payload: object({ personalNumber, deathDate: date, communeCode, declarantPersonalNumber: personalNumber, filing }),
  },
  {
    messageType: 'civil-status.birth-registered', schemaVersion: 1,
    summary: 'A birth was registered: police registers permanent residence, social insurance issues the health-insurance card (≤ 2 working days)',
    senders: ['civil-status'], recipients: ['police', 'social-insurance'],
    payload: object({
      personalNumber, fullName: text(120), birthDate: date, sex: { enum: ['MALE', 'FEMALE'] },
      motherPersonalNumber: personalNumber, fatherPersonalNumber: nullable(personalNumber),
      extractNumber: text(40), residenceCommuneCode: communeCode,
    }),
  },
  {
    messageType: 'civil-status.death-registered', schemaVersion: 1,
    summary: 'A death was registered: police deregisters residence, social insurance decides the funeral allowance',
    senders: ['civil-status'], recipients: ['police', 'social-insurance'],
    payload: object({ personalNumber, deathDate: date, extractNumber: text(40) }),
  },
  {
    messageType: 'police.residence-registered', schemaVersion: 1,
    summary: 'Police registered the permanent residence of a newborn',
    senders: ['police'], recipients: ['civil-status'],
    payload: object({ personalNumber, communeCode, registeredAt: dateTime }),
  },
  {
    messageType: 'police.residence-deregistered', schemaVersion: 1,
    summary: 'Police removed a deceased person from the residence register',
    senders: ['police'], recipients: ['civil-status'],
    payload: object({ personalNumber, deregisteredAt: dateTime }),
  },
  {
    messageType: 'social-insurance.health-card-issued', schemaVersion: 1,
    summary: 'Social insurance issued the health-insurance card of a newborn',
    senders: ['social-insurance'], recipients: ['civil-status'],
    payload: object({ personalNumber, cardNumber: text(20), validFrom: date }),
  },
  {
    messageType: 'handoff.refused', schemaVersion: 1,
    summary: 'A recipient refused a message whose signature verified (envelope, access, schema or its own rules): the sender learns which one and why. Allowed from a recipient back to the senders of the contracts it receives; never sent in answer to a refusal',
    // only back along the other contracts (listed so that the documents' example goes from the service center to land)
    senders: MEMBERS, recipients: [...MEMBERS.slice(1), MEMBERS[0]], answer: true,
    payload: object({
      refusedMessageId: text(100),
      refusedMessageType: text(80),
      reason: text(1000),
      refusedAt: dateTime,
    }),
  },
  {
    messageType: 'social-insurance.funeral-allowance-decided', schemaVersion: 1,
    summary: 'Social insurance decided the funeral allowance for a deceased person',
    senders: ['social-insurance'], recipients: ['civil-status'],
    payload: object({ personalNumber, decisionNumber: text(40), amount: money }),
  },
];

export function contractFor(messageType: string, schemaVersion: number): Contract | undefined {
  return CONTRACTS.find((c) => c.messageType === messageType && c.schemaVersion === schemaVersion);
}

/** Each member receives on one topic keyed by dossier code; what it cannot apply goes to the dead-letter topic. */
export function topicFor(recipient: string, prefix = process.env.HANDOFF_TOPIC_PREFIX ?? 'onestop'): string {
  return `${prefix}.handoff.${recipient}`;
}

export function deadLetterTopicFor(recipient: string, prefix?: string): string {
  return `${topicFor(recipient, prefix)}.dead-letter`;
}

/** `<prefix>.notification.<channel>`, e.g. onestop.notification.dossier-status. */
export function notificationTopic(channel: string, prefix = process.env.HANDOFF_TOPIC_PREFIX ?? 'onestop'): string {
  return `${prefix}.notification.${channel}`;
}
