import { EntityManager } from 'typeorm';
import {
  Filing, HandoffContext, HandoffHandlers, HandoffRejection, landTransferStanding, recordHandoffWrite, refusalReason, rowLock, statusReport,
} from '@onestop/platform';
import { LandParcel } from '../entities/land-parcel';
import { LandTransaction, LandTransactionStatus, LandTransactionType } from '../entities/land-transaction';
import { LandUseRight, LandUseRightStatus } from '../entities/land-use-right';

interface TransferRequested {
  procedureCode: string;
  parcelId: string;
  transactionType: 'TRANSFER' | 'GIFT' | 'INHERITANCE';
  transferorPersonalNumber: string;
  transfereePersonalNumber: string;
  contractValue: number;
  handlingAgencyCode?: string;
  filing: Filing;
}

export async function transactionOf(manager: EntityManager, dossierCode: string): Promise<LandTransaction | null> {
  return manager.getRepository(LandTransaction).findOne({ where: { dossierCode }, lock: rowLock(manager) });
}

async function requireTransaction(manager: EntityManager, dossierCode: string, expected: LandTransactionStatus[]): Promise<LandTransaction> {
  const transaction = await transactionOf(manager, dossierCode);
  if (!transaction) throw new HandoffRejection(`no land transaction for dossier ${dossierCode}`);
  if (!expected.includes(transaction.status)) {
    throw new HandoffRejection(`land transaction of ${dossierCode} is ${transaction.status}, expected ${expected.join(' or ')}`);
  }
  return transaction;
}

/** Single window hands over a transfer: the office checks the parcel and the transferor's right, then appraises. */
async function receiveTransfer({ envelope, manager, send }: HandoffContext<TransferRequested>): Promise<void> {
  const request = envelope.payload;
  if (await transactionOf(manager, envelope.correlationId)) {
    throw new HandoffRejection(`dossier ${envelope.correlationId} already has a land transaction`);
  }
  // Standing before any effect: no transaction is opened for someone who may not give the parcel away.
  const standing = landTransferStanding(request.filing, request.transferorPersonalNumber);
  if (!standing.ok) {
    await send(statusReport({ dossierCode: envelope.correlationId, statusCode: 8, status: 'STOPPED', unitCode: 'land', reason: refusalReason(standing) }));
    return;
  }
  const parcel = await manager.getRepository(LandParcel).findOneBy({ id: request.parcelId });
  const rights = parcel
    ? await manager.getRepository(LandUseRight).findBy({ parcelId: parcel.id, status: LandUseRightStatus.ACTIVE })
    : [];
  let refusal: string | null = null;
  if (!parcel) refusal = `parcel ${request.parcelId} is not in the cadastral database`;
  else if (!rights.some((r) => r.holderPersonalNumber === request.transferorPersonalNumber)) {
    refusal = `the transferor holds no active land-use right on parcel ${request.parcelId}`;
  }
  await manager.getRepository(LandTransaction).insert({
    dossierCode: envelope.correlationId, parcelId: request.parcelId, type: request.transactionType as LandTransactionType,
    transferorPersonalNumber: request.transferorPersonalNumber, transfereePersonalNumber: request.transfereePersonalNumber,
    contractValue: request.contractValue, status: refusal ? LandTransactionStatus.REJECTED : LandTransactionStatus.APPRAISING,
    submittedAt: new Date(), completedAt: refusal ? new Date() : null, note: refusal,
    taxNoticeNumber: null, taxAmount: null, taxPaidAt: null, handlingAgencyCode: request.handlingAgencyCode ?? null,
  });
  await recordHandoffWrite(manager, 'land', envelope, [request.transferorPersonalNumber, request.transfereePersonalNumber]
    .map((subject) => ({ subject, fields: ['LandTransaction.transferor', 'LandTransaction.transferee'] })));
  await send(statusReport(refusal
    ? { dossierCode: envelope.correlationId, statusCode: 8, status: 'STOPPED', unitCode: 'land', reason: `Dừng xử lý: ${refusal}` }
    : { dossierCode: envelope.correlationId, statusCode: 4, status: 'IN_APPRAISAL', unitCode: 'land' }));
}

async function recordPaymentNotice({ envelope, manager }: HandoffContext<{ noticeNumber: string; totalAmount: number }>): Promise<void> {
  const transaction = await requireTransaction(manager, envelope.correlationId, [LandTransactionStatus.AWAITING_FINANCIAL_OBLIGATION]);
  transaction.taxNoticeNumber = envelope.payload.noticeNumber;
  transaction.taxAmount = envelope.payload.totalAmount;
  await manager.getRepository(LandTransaction).save(transaction);
}

/** Tax needs more before it can assess: the dossier goes back to the citizen for a supplement (form 02). */
async function recordSupplementRequest({ envelope, manager, send }: HandoffContext<{ reasons: string[]; missingItems: string[] }>): Promise<void> {
  const transaction = await requireTransaction(manager, envelope.correlationId, [LandTransactionStatus.AWAITING_FINANCIAL_OBLIGATION]);
  const reason = [...envelope.payload.reasons, ...envelope.payload.missingItems.map((item) => `thiếu: ${item}`)].join('; ').slice(0, 1000);
  transaction.status = LandTransactionStatus.TAX_SUPPLEMENT_REQUESTED;
  transaction.note = reason;
  await manager.getRepository(LandTransaction).save(transaction);
  await send(statusReport({ dossierCode: transaction.dossierCode, statusCode: 5, status: 'SUPPLEMENT_REQUESTED', unitCode: 'land', reason }));
}

/** Obligations paid: the land clock resumes and the certificate can be issued. */
async function recordPayment({ envelope, manager, send }: HandoffContext<{ noticeNumber: string; paidAt: string }>): Promise<void> {
  const transaction = await requireTransaction(manager, envelope.correlationId, [LandTransactionStatus.AWAITING_FINANCIAL_OBLIGATION]);
  if (transaction.taxNoticeNumber && transaction.taxNoticeNumber !== envelope.payload.noticeNumber) {
    throw new HandoffRejection(`payment confirmed for notice ${envelope.payload.noticeNumber}, but the transaction awaits ${transaction.taxNoticeNumber}`);
  }
  transaction.status = LandTransactionStatus.OBLIGATION_PAID;
  transaction.taxNoticeNumber = envelope.payload.noticeNumber;
  transaction.taxPaidAt = new Date(envelope.payload.paidAt);
  await manager.getRepository(LandTransaction).save(transaction);
  await send(statusReport({ dossierCode: transaction.dossierCode, statusCode: 4, status: 'APPROVAL', unitCode: 'land', reason: 'Đã hoàn thành nghĩa vụ tài chính' }));
}

export const landHandoffs: HandoffHandlers = {
  'land.transfer-requested': receiveTransfer,
  'tax.payment-notice': recordPaymentNotice,
  'tax.supplement-requested': recordSupplementRequest,
  'tax.payment-confirmed': recordPayment,
};
