import { Authorized, Arg, Ctx, Field, Float, InputType, Mutation, Resolver } from 'type-graphql';
import { MaxLength } from 'class-validator';
import {
  actingOfficer, ConflictError, NotFoundError, RequestContext, required, requireAgencyScope, Scope, sendFromInput, statusReport, validateDossierCode,
} from '@onestop/platform';
import { LandParcel } from '../entities/land-parcel';
import { LandTransaction, LandTransactionStatus } from '../entities/land-transaction';
import { LandUseRight, LandUseRightStatus } from '../entities/land-use-right';
import { transactionOf } from '../handoffs/handlers';

@InputType({ description: 'The land office\'s appraisal of a transfer: sends the cadastral information sheet to tax' })
class AppraiseLandTransferInput {
  @Field()
  dossierCode: string;

  @Field(() => String, { nullable: true, description: 'The signed-in officer is recorded; anyone else is refused' })
  @MaxLength(64)
  officerId?: string | null;

  @Field(() => Float, { nullable: true, description: 'Corrected contract value, after a supplement' })
  contractValue?: number | null;

  @Field(() => String, { nullable: true, description: 'Căn cứ miễn, giảm: grounds for exemption claimed by the parties' })
  @MaxLength(500)
  exemptionGrounds?: string | null;
}

@InputType()
class IssueLandCertificateInput {
  @Field()
  dossierCode: string;

  @Field(() => String, { nullable: true, description: 'The signed-in officer is recorded; anyone else is refused' })
  @MaxLength(64)
  officerId?: string | null;
}

async function openTransaction(ctx: RequestContext, manager: Parameters<typeof transactionOf>[0], dossierCode: string, allowed: LandTransactionStatus[]) {
  const transaction = await transactionOf(manager, required(validateDossierCode(dossierCode), 'input.dossierCode'));
  if (!transaction) throw new NotFoundError('Land transaction of dossier', dossierCode);
  requireAgencyScope(ctx, { agencies: [transaction.handlingAgencyCode] }, `Land transaction of ${transaction.dossierCode}`);
  if (!allowed.includes(transaction.status)) {
    throw new ConflictError(`land transaction of ${dossierCode} is ${transaction.status}; this step needs ${allowed.join(' or ')}`, { status: transaction.status });
  }
  return transaction;
}

@Resolver(() => LandTransaction)
export class LandTransferResolver {
  @Authorized('staff:LAND')
  @Scope('the land transaction\'s handling agency, or the land office above it')
  @Mutation(() => LandTransaction, { description: 'Appraise a transfer and send the cadastral information to tax; the land clock pauses (status 6)' })
  appraiseLandTransfer(@Arg('input') input: AppraiseLandTransferInput, @Ctx() ctx: RequestContext): Promise<LandTransaction> {
    const officerId = actingOfficer(ctx, input.officerId, 'input.officerId');
    return ctx.db.transaction(async (manager) => {
      const transaction = await openTransaction(ctx, manager, input.dossierCode,
        [LandTransactionStatus.APPRAISING, LandTransactionStatus.TAX_SUPPLEMENT_REQUESTED]);
      const parcel = await manager.getRepository(LandParcel).findOneByOrFail({ id: transaction.parcelId });
      if (input.contractValue !== null && input.contractValue !== undefined) transaction.contractValue = input.contractValue;
      await sendFromInput(ctx.handoffs, manager, {
        messageType: 'land.cadastral-information', recipient: 'tax', correlationId: transaction.dossierCode, officerId,
        payload: {
          transferorPersonalNumber: transaction.transferorPersonalNumber,
          transfereePersonalNumber: transaction.transfereePersonalNumber,
          parcel: {
            id: parcel.id, communeCode: parcel.communeCode, mapSheet: parcel.mapSheetNumber, parcelNumber: parcel.parcelNumber,
            area: parcel.area, usePurpose: parcel.usePurpose, term: parcel.useTermUntil, origin: parcel.origin.slice(0, 200),
          },
          transaction: { type: transaction.type, contractValue: transaction.contractValue ?? 0 },
          ...(input.exemptionGrounds ? { exemptionGrounds: input.exemptionGrounds } : {}),
        },
      }, 'input');
      await ctx.handoffs.send(manager, statusReport({
        dossierCode: transaction.dossierCode, statusCode: 6, status: 'FINANCIAL_OBLIGATION', unitCode: 'land', officerId,
        reason: 'Chuyển thông tin địa chính sang cơ quan thuế để xác định nghĩa vụ tài chính',
      }));
      transaction.status = LandTransactionStatus.AWAITING_FINANCIAL_OBLIGATION;
      transaction.note = null;
      return manager.getRepository(LandTransaction).save(transaction);
    });
  }

  @Authorized('staff:LAND')
  @Scope('the land transaction\'s handling agency, or the land office above it')
  @Mutation(() => LandTransaction, { description: 'Register the change and issue the certificate once obligations are paid; the result goes back to the service center' })
  issueLandCertificate(@Arg('input') input: IssueLandCertificateInput, @Ctx() ctx: RequestContext): Promise<LandTransaction> {
    const officerId = actingOfficer(ctx, input.officerId, 'input.officerId');
    return ctx.db.transaction(async (manager) => {
      const transaction = await openTransaction(ctx, manager, input.dossierCode, [LandTransactionStatus.OBLIGATION_PAID]);
      const rights = manager.getRepository(LandUseRight);
      const current = await rights.findBy({ parcelId: transaction.parcelId, status: LandUseRightStatus.ACTIVE });
      const transferred = current.filter((r) => r.holderPersonalNumber === transaction.transferorPersonalNumber);
      if (!transferred.length) throw new ConflictError(`the transferor no longer holds a right on parcel ${transaction.parcelId}`);
      const today = new Date().toISOString().slice(0, 10);
      for (const right of transferred) await rights.update({ id: right.id }, { status: LandUseRightStatus.ENDED, endedOn: today });
      const share = transferred.reduce((sum, r) => sum + Number(r.sharePercent), 0);
      const inserted = await rights.insert({
        parcelId: transaction.parcelId, holderPersonalNumber: transaction.transfereePersonalNumber, holderEnterpriseCode: null,
        sharePercent: Math.min(100, share), certificateSerial: 'pending', certificateRegisterNumber: 'pending', issuedOn: today,
        endedOn: null, status: LandUseRightStatus.ACTIVE,
      });
      ctx.personalData.wrote(transaction.transfereePersonalNumber!, 'LandUseRight.holder');
      if (transaction.transferorPersonalNumber) ctx.personalData.wrote(transaction.transferorPersonalNumber, 'LandUseRight.endedOn');
      const id = Number(inserted.identifiers[0].id);
      const serial = `DK ${String(id).padStart(6, '0')}`;
      const registerNumber = `CS${String(id).padStart(5, '0')}`;
      await rights.update({ id }, { certificateSerial: serial, certificateRegisterNumber: registerNumber });
      await ctx.handoffs.send(manager, {
        messageType: 'land.certificate-issued', recipient: 'single-window', correlationId: transaction.dossierCode, officerId,
        payload: { parcelId: transaction.parcelId, certificateSerial: serial, registerNumber, holderPersonalNumber: transaction.transfereePersonalNumber! },
      });
      await ctx.handoffs.send(manager, statusReport({
        dossierCode: transaction.dossierCode, statusCode: 9, status: 'RESOLVED', unitCode: 'land', officerId,
      }));
      transaction.status = LandTransactionStatus.CERTIFICATE_ISSUED;
      transaction.completedAt = new Date();
      return manager.getRepository(LandTransaction).save(transaction);
    });
  }
}
