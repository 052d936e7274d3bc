import { Authorized, Args, ArgsType, Ctx, Field, FieldResolver, Float, Query, Resolver, Root, Directive } from 'type-graphql';
import { FindOptionsWhere } from 'typeorm';
import { BadUserInputError, PageArgs, PageOf, pageWindow, RequestContext, required, validateEnterpriseCode, validatePersonalNumber, WorkingCalendar, requireSelfIfCitizen, PersonalData } from '@onestop/platform';
import { TaxNotice } from '../entities/tax-notice';
import { TaxObligation, TaxObligationStatus } from '../entities/tax-obligation';
import { TaxPayment } from '../entities/tax-payment';
import { CitizenRef, EnterpriseRef, LandParcelRef } from '../entities/references';
import { OBLIGATION_KIND_NAMES } from '../obligation-kinds';
import { noticeById, obligationsBy, paymentsByObligation } from '../loaders';

export const TaxObligationPage = PageOf(TaxObligation, 'TaxObligationPage');
export type TaxObligationPage = InstanceType<typeof TaxObligationPage>;

const calendar = new WorkingCalendar();

@ArgsType()
class TaxObligationFilterArgs extends PageArgs {
  @Field(() => String, { nullable: true })
  taxpayerPersonalNumber?: string | null;

  @Field(() => String, { nullable: true })
  taxpayerEnterpriseCode?: string | null;

  @Field(() => TaxObligationStatus, { nullable: true })
  status?: TaxObligationStatus | null;
}

@Resolver(() => TaxObligation)
export class TaxObligationResolver {
  @Authorized('citizen', 'staff:TAX')
  @Query(() => TaxObligationPage, { description: 'One taxpayer\'s obligations, latest due first' })
  async taxObligations(@Args() args: TaxObligationFilterArgs, @Ctx() ctx: RequestContext): Promise<TaxObligationPage> {
    const { skip, take } = pageWindow(args);
    if (!args.taxpayerPersonalNumber === !args.taxpayerEnterpriseCode) {
      throw new BadUserInputError('taxpayerPersonalNumber', 'give exactly one of taxpayerPersonalNumber or taxpayerEnterpriseCode');
    }
    requireSelfIfCitizen(ctx.identity, args.taxpayerPersonalNumber, 'tax obligations');
    const where: FindOptionsWhere<TaxObligation> = args.taxpayerPersonalNumber
      ? { taxpayerPersonalNumber: required(validatePersonalNumber(args.taxpayerPersonalNumber), 'taxpayerPersonalNumber') }
      : { taxpayerEnterpriseCode: required(validateEnterpriseCode(args.taxpayerEnterpriseCode), 'taxpayerEnterpriseCode') };
    if (args.status) where.status = args.status;
    const [items, totalCount] = await ctx.db
      .getRepository(TaxObligation)
      .findAndCount({ where, order: { dueDate: 'DESC', id: 'DESC' }, skip, take });
    return { items, totalCount, offset: skip };
  }

  @FieldResolver(() => String)
  kindName(@Root() obligation: TaxObligation): string {
    return OBLIGATION_KIND_NAMES[obligation.kind] ?? obligation.kind;
  }

  @FieldResolver(() => Boolean, { description: 'Unpaid after its due date (Viet Nam time)' })
  isOverdue(@Root() obligation: TaxObligation): boolean {
    return obligation.status === TaxObligationStatus.UNPAID && obligation.dueDate < calendar.localDate(new Date());
  }

  // cost analysis: at most about this many items (gateway's @listSize; a list without a hint counts 20)
  @Directive('@listSize(assumedSize: 10)')
  @FieldResolver(() => [TaxPayment])
  payments(@Root() obligation: TaxObligation, @Ctx() ctx: RequestContext): Promise<TaxPayment[]> {
    return paymentsByObligation(ctx).load(obligation.id);
  }

  @FieldResolver(() => Float)
  async paidAmount(@Root() obligation: TaxObligation, @Ctx() ctx: RequestContext): Promise<number> {
    const payments = await paymentsByObligation(ctx).load(obligation.id);
    return payments.reduce((sum, p) => sum + p.amount, 0);
  }

  @FieldResolver(() => CitizenRef, { nullable: true })
  @PersonalData<TaxObligation>({ subject: (o) => o.taxpayerPersonalNumber })
  taxpayerCitizen(@Root() obligation: TaxObligation): CitizenRef | null {
    return obligation.taxpayerPersonalNumber ? { personalNumber: obligation.taxpayerPersonalNumber } : null;
  }

  @FieldResolver(() => EnterpriseRef, { nullable: true })
  taxpayerEnterprise(@Root() obligation: TaxObligation): EnterpriseRef | null {
    return obligation.taxpayerEnterpriseCode ? { enterpriseCode: obligation.taxpayerEnterpriseCode } : null;
  }

  @FieldResolver(() => LandParcelRef, { nullable: true })
  parcel(@Root() obligation: TaxObligation): LandParcelRef | null {
    return obligation.parcelId ? { id: obligation.parcelId } : null;
  }

  @FieldResolver(() => TaxNotice, { nullable: true })
  notice(@Root() obligation: TaxObligation, @Ctx() ctx: RequestContext): Promise<TaxNotice | null> | null {
    return obligation.noticeId === null ? null : noticeById(ctx).load(obligation.noticeId);
  }
}
