import { Authorized, Arg, Ctx, Field, InputType, Mutation, Resolver } from 'type-graphql';
import { Length } from 'class-validator';
import { In } from 'typeorm';
import { actingOfficer, ConflictError, NotFoundError, RequestContext, requireAgencyScope, rowLock, Scope } from '@onestop/platform';
import { agencyOfTaxOffice } from '../tax-offices';
import { TaxNotice } from '../entities/tax-notice';
import { TaxObligation, TaxObligationStatus } from '../entities/tax-obligation';
import { TaxPayment, TaxPaymentChannel } from '../entities/tax-payment';

@InputType({ description: 'A payment of every open obligation of a notice (chứng từ nộp ngân sách)' })
class ConfirmTaxPaymentInput {
  @Field()
  @Length(1, 30)
  noticeNumber: string;

  @Field({ description: 'Số chứng từ from the treasury or bank' })
  @Length(1, 26)
  receiptNumber: string;

  @Field(() => TaxPaymentChannel)
  channel: TaxPaymentChannel;

  @Field(() => String, { nullable: true, description: 'The signed-in officer is recorded; anyone else is refused' })
  @Length(1, 64)
  officerId?: string | null;
}

@Resolver(() => TaxNotice)
export class TaxPaymentResolver {
  @Authorized('staff:TAX')
  @Scope('the notice\'s tax office (TAX_OFFICE_AGENCIES), or the tax office above it')
  @Mutation(() => TaxNotice, { description: 'Record the payment of a notice; for a land dossier, the land office is told it may issue the certificate' })
  confirmTaxPayment(@Arg('input') input: ConfirmTaxPaymentInput, @Ctx() ctx: RequestContext): Promise<TaxNotice> {
    const officerId = actingOfficer(ctx, input.officerId, 'input.officerId');
    return ctx.db.transaction(async (manager) => {
      const notice = await manager.getRepository(TaxNotice).findOne({ where: { noticeNumber: input.noticeNumber }, lock: rowLock(manager) });
      if (!notice) throw new NotFoundError('Tax notice', input.noticeNumber);
      requireAgencyScope(ctx, { agencies: [agencyOfTaxOffice(notice.taxOfficeCode)] }, `Tax notice ${notice.noticeNumber}`);
      const open = await manager.getRepository(TaxObligation).findBy({ noticeId: notice.id, status: TaxObligationStatus.UNPAID });
      if (!open.length) throw new ConflictError(`notice ${notice.noticeNumber} has nothing left to pay`);
      if (await manager.getRepository(TaxPayment).existsBy({ receiptNumber: input.receiptNumber })) {
        throw new ConflictError(`receipt ${input.receiptNumber} was already recorded`);
      }
      const paidAt = new Date();
      await manager.getRepository(TaxPayment).insert(open.map((obligation, index) => ({
        obligationId: obligation.id, receiptNumber: index === 0 ? input.receiptNumber : `${input.receiptNumber}/${index + 1}`,
        amount: obligation.amount, paidAt, channel: input.channel,
      })));
      await manager.getRepository(TaxObligation).update({ id: In(open.map((o) => o.id)) }, { status: TaxObligationStatus.PAID });
      if (notice.dossierCode) {
        await ctx.handoffs.send(manager, {
          messageType: 'tax.payment-confirmed', recipient: 'land', correlationId: notice.dossierCode, officerId,
          payload: {
            noticeNumber: notice.noticeNumber, receiptNumber: input.receiptNumber,
            amount: open.reduce((sum, o) => sum + Number(o.amount), 0), paidAt: paidAt.toISOString(),
          },
        });
      }
      return notice;
    });
  }
}
