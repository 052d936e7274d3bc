import { EntityManager, LessThan } from 'typeorm';
import { HandoffContext, HandoffHandlers, makeEnterpriseCode, SendRequest } from '@onestop/platform';
import { TaxNotice } from '../entities/tax-notice';
import { TaxObligation, TaxObligationStatus } from '../entities/tax-obligation';
import { TaxProfile, TaxProfileStatus } from '../entities/tax-profile';
import { OBLIGATION_KIND_NAMES } from '../obligation-kinds';
import { assessLandTransaction, CadastralInformation } from './assessment';

/** The provincial tax office that handles land transactions and new enterprises of the demo province. */
export const TAX_OFFICE = { code: '99001', name: 'Thuế tỉnh Hòa An', treasuryAccount: '7111', provincePrefix: '99' };
const PAYMENT_DAYS = 30;

const isoDate = (at: Date) => at.toISOString().slice(0, 10);

/** Assesses a land transaction: a payment notice back to land, or a supplement request when something is missing. */
async function assessCadastralInformation({ envelope, manager, send }: HandoffContext<CadastralInformation>): Promise<void> {
  const info = envelope.payload;
  const assessment = assessLandTransaction(info);
  const reply = (messageType: string, payload: Record<string, unknown>): SendRequest =>
    ({ messageType, recipient: 'land', correlationId: envelope.correlationId, payload });
  if (!assessment.ok) {
    await send(reply('tax.supplement-requested', { reasons: assessment.reasons, missingItems: assessment.missingItems }));
    return;
  }
  const issued = new Date();
  const due = new Date(issued.getTime() + PAYMENT_DAYS * 86_400_000);
  const notices = manager.getRepository(TaxNotice);
  const inserted = await notices.insert({
    noticeNumber: `pending-${envelope.messageId.slice(0, 22)}`, dossierCode: envelope.correlationId,
    taxpayerPersonalNumber: info.transfereePersonalNumber, taxpayerEnterpriseCode: null, taxOfficeCode: TAX_OFFICE.code,
    issuedOn: isoDate(issued), dueDate: isoDate(due), treasuryAccount: TAX_OFFICE.treasuryAccount, paymentReference: 'pending',
  });
  const noticeId = Number(inserted.identifiers[0].id);
  const noticeNumber = `${issued.getUTCFullYear()}/TB-LT/${String(noticeId).padStart(7, '0')}`;
  const paymentReference = `LT${String(noticeId).padStart(10, '0')}`;
  await notices.update({ id: noticeId }, { noticeNumber, paymentReference });
  await manager.getRepository(TaxObligation).insert(assessment.lines.map((line) => ({
    taxpayerPersonalNumber: line.payer === 'transferor' ? info.transferorPersonalNumber : info.transfereePersonalNumber,
    taxpayerEnterpriseCode: null, parcelId: info.parcel.id, dossierCode: envelope.correlationId, noticeId, kind: line.kind,
    period: String(issued.getUTCFullYear()), amount: line.amount, dueDate: isoDate(due),
    status: line.amount === 0 ? TaxObligationStatus.EXEMPT : TaxObligationStatus.UNPAID,
  })));
  const totalAmount = assessment.lines.reduce((sum, line) => sum + line.amount, 0);
  await send(reply('tax.payment-notice', {
    noticeNumber, totalAmount, dueDate: isoDate(due), treasuryAccount: TAX_OFFICE.treasuryAccount, paymentReference,
    lines: assessment.lines.map((line) => ({ kind: OBLIGATION_KIND_NAMES[line.kind], amount: line.amount })),
  }));
  if (totalAmount === 0) {
    // Everything exempt: nothing to pay, the land office may go on at once.
    await send(reply('tax.payment-confirmed', { noticeNumber, receiptNumber: `MIEN-${noticeId}`, amount: 0, paidAt: issued.toISOString() }));
  }
}

interface EnterpriseRegistration {
  name: string;
  legalRepresentativePersonalNumber: string;
  communeCode: string;
}

async function nextEnterpriseCode(manager: EntityManager): Promise<string> {
  const profiles = manager.getRepository(TaxProfile);
  for (let sequence = 1_000_000 + (await profiles.count()); ; sequence++) {
    const code = makeEnterpriseCode(TAX_OFFICE.provincePrefix, sequence);
    if (!(await profiles.existsBy({ enterpriseCode: code }))) return code;
  }
}

/** Assigns the enterprise code (= tax code), unless the legal representative owes overdue tax. */
async function registerEnterprise({ envelope, manager, send }: HandoffContext<EnterpriseRegistration>): Promise<void> {
  const request = envelope.payload;
  const reply = (messageType: string, payload: Record<string, unknown>): SendRequest =>
    ({ messageType, recipient: 'business-registration', correlationId: envelope.correlationId, payload });
  const overdue = await manager.getRepository(TaxObligation).findBy({
    taxpayerPersonalNumber: request.legalRepresentativePersonalNumber, status: TaxObligationStatus.UNPAID, dueDate: LessThan(isoDate(new Date())),
  });
  if (overdue.length) {
    const total = overdue.reduce((sum, o) => sum + Number(o.amount), 0);
    await send(reply('tax.enterprise-registration-rejected', {
      reason: `Người đại diện theo pháp luật còn nợ thuế quá hạn: ${overdue.length} khoản, ${total.toLocaleString('vi-VN')} đồng`,
    }));
    return;
  }
  const enterpriseCode = await nextEnterpriseCode(manager);
  await manager.getRepository(TaxProfile).insert({
    enterpriseCode, taxOfficeCode: TAX_OFFICE.code, managingTaxOffice: TAX_OFFICE.name, registeredOn: isoDate(new Date()),
    status: TaxProfileStatus.ACTIVE,
  });
  await send(reply('tax.enterprise-code-assigned', { enterpriseCode, managingTaxOffice: TAX_OFFICE.code }));
}

export const taxHandoffs: HandoffHandlers = {
  'land.cadastral-information': assessCadastralInformation,
  'business.enterprise-registration': registerEnterprise,
};
