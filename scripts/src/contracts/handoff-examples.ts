import { createHash, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { Contract, Envelope, signEnvelope } from '@onestop/platform';

/**
 * One realistic message per contract, for the published documents (schema `examples`, AsyncAPI examples, the worked
 * example of the integration guide) and for the tests that check them against the generated schemas.
 */
export interface HandoffExample {
  correlationId: string;
  issuedAt: string;
  officerId: string | null;
  payload: Record<string, unknown>;
}

/** Four dossiers: a land transfer, an enterprise registration, a birth and a death. */
const LAND = '000.00.31.H99-251015-0007';
const BUSINESS = '000.00.31.H99-251016-0012';
const BIRTH = '000.00.31.H99-251017-0003';
const DEATH = '000.00.31.H99-251017-0004';

const TRANSFEROR = '038180001234';
const TRANSFEREE = '038085004321';
const FOUNDER = '001088000555';
const MOTHER = '038195000111';
const FATHER = '038093000222';
const NEWBORN = '038225000789';
const DECEASED = '038040000333';
const DECLARANT = '038170000444';
const COMMUNE = '26734';
const PARCEL = '26734-12-345';

const enterprise = {
  procedureCode: '1.001612.000.00.00.H99', name: 'CÔNG TY TNHH THƯƠNG MẠI SÔNG MÃ', type: 'SINGLE_MEMBER_LLC',
  address: '12 Lê Lợi, phường Điện Biên', communeCode: COMMUNE, legalRepresentativePersonalNumber: FOUNDER, charterCapital: 2_000_000_000,
  businessLines: [{ vsicCode: '4711', main: true }, { vsicCode: '5610', main: false }],
};

/** Who filed the dossier: an online registration by the applicant (no actor), or a counter officer's filing. */
const online = (applicant: string) => ({ applicantPersonalNumber: applicant, applicantEnterpriseCode: null, channel: 'ONLINE', actor: null });
const atCounter = (applicant: string) => ({
  applicantPersonalNumber: applicant, applicantEnterpriseCode: null, channel: 'COUNTER',
  actor: { role: 'officer', id: 'motcua.nguyenthilan', agency: '000.00.31.H99' },
});

export const EXAMPLES: Readonly<Record<string, HandoffExample>> = {
  'handoff.refused': {
    correlationId: LAND, issuedAt: '2025-10-31T08:00:02.000Z', officerId: null,
    payload: {
      refusedMessageId: '5f0c3a4e-8d2b-4c61-9a7e-2b1d6c9e0f43', refusedMessageType: 'dossier.status-changed',
      reason: 'rejected: land: a dossier in RESOLVED cannot move to IN_APPRAISAL', refusedAt: '2025-10-31T08:00:01.870Z',
    },
  },
  'land.transfer-requested': {
    correlationId: LAND, issuedAt: '2025-10-15T02:10:00.000Z', officerId: 'motcua.nguyenthilan',
    payload: {
      procedureCode: '1.004227.000.00.00.H99', parcelId: PARCEL, transactionType: 'TRANSFER',
      transferorPersonalNumber: TRANSFEROR, transfereePersonalNumber: TRANSFEREE, contractValue: 2_500_000_000, filing: atCounter(TRANSFEREE),
    },
  },
  'dossier.status-changed': {
    correlationId: LAND, issuedAt: '2025-10-15T02:10:04.000Z', officerId: null,
    payload: { statusCode: 4, status: 'IN_APPRAISAL', at: '2025-10-15T02:10:03.512Z', unitCode: 'land', reason: null },
  },
  'land.cadastral-information': {
    correlationId: LAND, issuedAt: '2025-10-16T07:45:00.000Z', officerId: 'vpdk.tranvanminh',
    payload: {
      transferorPersonalNumber: TRANSFEROR, transfereePersonalNumber: TRANSFEREE,
      parcel: {
        id: PARCEL, communeCode: COMMUNE, mapSheet: 12, parcelNumber: 345, area: 120.5, usePurpose: 'ODT', term: null,
        origin: 'Nhà nước giao đất có thu tiền sử dụng đất',
      },
      transaction: { type: 'TRANSFER', contractValue: 2_500_000_000 },
      exemptionGrounds: null,
    },
  },
  'tax.supplement-requested': {
    correlationId: LAND, issuedAt: '2025-10-17T01:30:00.000Z', officerId: 'thue.lethihoa',
    payload: { reasons: ['Hợp đồng chuyển nhượng chưa được công chứng'], missingItems: ['Hợp đồng chuyển nhượng có công chứng'] },
  },
  'tax.payment-notice': {
    correlationId: LAND, issuedAt: '2025-10-20T03:00:00.000Z', officerId: null,
    payload: {
      noticeNumber: '2025/TB-LT/0000123',
      lines: [{ kind: 'Thuế thu nhập cá nhân', amount: 50_000_000 }, { kind: 'Lệ phí trước bạ', amount: 12_500_000 }],
      totalAmount: 62_500_000, dueDate: '2025-11-19', treasuryAccount: '7111', paymentReference: 'LT0000000123',
    },
  },
  'tax.payment-confirmed': {
    correlationId: LAND, issuedAt: '2025-10-24T09:12:00.000Z', officerId: null,
    payload: { noticeNumber: '2025/TB-LT/0000123', receiptNumber: 'BL-2025-0004567', amount: 62_500_000, paidAt: '2025-10-24T09:11:37.000Z' },
  },
  'land.certificate-issued': {
    correlationId: LAND, issuedAt: '2025-10-31T08:00:00.000Z', officerId: 'vpdk.tranvanminh',
    payload: { parcelId: PARCEL, certificateSerial: 'DA 123456', registerNumber: 'CS01234', holderPersonalNumber: TRANSFEREE },
  },
  'business.registration-requested': {
    correlationId: BUSINESS, issuedAt: '2025-10-16T02:00:00.000Z', officerId: 'motcua.nguyenthilan',
    payload: { ...enterprise, filing: online(enterprise.legalRepresentativePersonalNumber) },
  },
  'business.enterprise-registration': {
    correlationId: BUSINESS, issuedAt: '2025-10-16T02:00:02.000Z', officerId: null, payload: enterprise,
  },
  'tax.enterprise-code-assigned': {
    correlationId: BUSINESS, issuedAt: '2025-10-16T02:00:05.000Z', officerId: null,
    payload: { enterpriseCode: '9900012357', managingTaxOffice: '99001' },
  },
  'tax.enterprise-registration-rejected': {
    correlationId: BUSINESS, issuedAt: '2025-10-16T02:00:05.000Z', officerId: null,
    payload: { reason: 'Người đại diện theo pháp luật còn nợ thuế quá hạn' },
  },
  'civil-status.birth-registration-requested': {
    correlationId: BIRTH, issuedAt: '2025-10-17T01:00:00.000Z', officerId: 'motcua.nguyenthilan',
    payload: {
      childName: 'Nguyễn Minh An', birthDate: '2025-10-10', sex: 'MALE', birthProvinceCode: '038', communeCode: COMMUNE,
      motherPersonalNumber: MOTHER, fatherPersonalNumber: FATHER, filing: online(MOTHER),
    },
  },
  'civil-status.death-registration-requested': {
    correlationId: DEATH, issuedAt: '2025-10-17T01:20:00.000Z', officerId: 'motcua.nguyenthilan',
    payload: { personalNumber: DECEASED, deathDate: '2025-10-12', communeCode: COMMUNE, declarantPersonalNumber: DECLARANT, filing: online(DECLARANT) },
  },
  'civil-status.birth-registered': {
    correlationId: BIRTH, issuedAt: '2025-10-17T01:00:03.000Z', officerId: 'hotich.phamthuha',
    payload: {
      personalNumber: NEWBORN, fullName: 'Nguyễn Minh An', birthDate: '2025-10-10', sex: 'MALE', motherPersonalNumber: MOTHER,
      fatherPersonalNumber: FATHER, extractNumber: '152/07', residenceCommuneCode: COMMUNE,
    },
  },
  'civil-status.death-registered': {
    correlationId: DEATH, issuedAt: '2025-10-17T01:20:03.000Z', officerId: 'hotich.phamthuha',
    payload: { personalNumber: DECEASED, deathDate: '2025-10-12', extractNumber: '48/03' },
  },
  'police.residence-registered': {
    correlationId: BIRTH, issuedAt: '2025-10-17T04:30:00.000Z', officerId: null,
    payload: { personalNumber: NEWBORN, communeCode: COMMUNE, registeredAt: '2025-10-17T04:29:51.000Z' },
  },
  'police.residence-deregistered': {
    correlationId: DEATH, issuedAt: '2025-10-17T04:35:00.000Z', officerId: null,
    payload: { personalNumber: DECEASED, deregisteredAt: '2025-10-17T04:34:40.000Z' },
  },
  'social-insurance.health-card-issued': {
    correlationId: BIRTH, issuedAt: '2025-10-18T02:00:00.000Z', officerId: null,
    payload: { personalNumber: NEWBORN, cardNumber: 'TE1038225000789', validFrom: '2025-10-10' },
  },
  'social-insurance.funeral-allowance-decided': {
    correlationId: DEATH, issuedAt: '2025-10-20T02:00:00.000Z', officerId: null,
    payload: { personalNumber: DECEASED, decisionNumber: 'QĐ-MT-4803', amount: 23_400_000 },
  },
};

/** PKCS#8 DER of an Ed25519 private key is this prefix followed by the 32-byte seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The key that signs the examples: derived from a published phrase, so anyone can sign with it and compare bytes.
 * Never trust it for anything else.
 */
export const EXAMPLE_KEY: { privateKey: KeyObject; publicKey: KeyObject; privatePem: string; publicPem: string } = (() => {
  const seed = createHash('sha256').update('onestop handoff documentation example key: public, never trust it').digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey, publicKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
})();

/** A fixed UUID (version 4 layout) per message type, so the documents do not change between runs. */
function exampleMessageId(messageType: string): string {
  const hex = createHash('sha256').update(`example ${messageType}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function exampleOf(contract: Contract): HandoffExample {
  const example = EXAMPLES[contract.messageType];
  if (!example) throw new Error(`No example for ${contract.messageType}: add one to scripts/src/contracts/handoff-examples.ts`);
  return example;
}

/** The example as the first listed sender sends it to the first listed recipient, signed with EXAMPLE_KEY. */
export function exampleEnvelope(contract: Contract, key: KeyObject = EXAMPLE_KEY.privateKey): Envelope {
  const example = exampleOf(contract);
  return signEnvelope({
    messageId: exampleMessageId(contract.messageType),
    correlationId: example.correlationId,
    sender: contract.senders[0],
    recipient: contract.recipients[0],
    messageType: contract.messageType,
    schemaVersion: contract.schemaVersion,
    issuedAt: example.issuedAt,
    officerId: example.officerId,
    payload: example.payload,
  }, key);
}
