import { Authorized, Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { RequestContext, mayFollowCitizen, PageArgs, pageOf } from '@onestop/platform';
import { TaxObligationPage } from './tax-obligation.resolver';
import { TaxObligation, TaxObligationStatus } from '../entities/tax-obligation';
import { TaxProfile } from '../entities/tax-profile';
import { CitizenRef, EnterpriseRef, LandParcelRef } from '../entities/references';
import { obligationsBy, profileByEnterprise } from '../loaders';

function withStatus(rows: TaxObligation[], status?: TaxObligationStatus | null): TaxObligation[] {
  return status ? rows.filter((row) => row.status === status) : rows;
}

@Resolver(() => CitizenRef)
export class CitizenTaxResolver {
  @Authorized('citizen', 'staff:TAX', 'staff:LAND', 'analyst')
  @FieldResolver(() => TaxObligationPage, { description: 'This person\'s obligations, latest due first' })
  async taxObligations(
    @Root() citizen: CitizenRef,
    @Args() page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('status', () => TaxObligationStatus, { nullable: true }) status?: TaxObligationStatus | null,
  ): Promise<TaxObligationPage> {
    if (!mayFollowCitizen(ctx.identity, citizen.personalNumber, 'tax obligations')) return pageOf([], page);
    return pageOf(withStatus(await obligationsBy(ctx, 'taxpayerPersonalNumber').load(citizen.personalNumber), status), page);
  }
}

@Resolver(() => EnterpriseRef)
export class EnterpriseTaxResolver {
  @Authorized('staff', 'analyst')
  @FieldResolver(() => TaxProfile, { nullable: true })
  taxProfile(@Root() enterprise: EnterpriseRef, @Ctx() ctx: RequestContext): Promise<TaxProfile | null> {
    return profileByEnterprise(ctx).load(enterprise.enterpriseCode);
  }

  @Authorized('staff:TAX', 'staff:BUSINESS_REGISTRATION', 'analyst')
  @FieldResolver(() => TaxObligationPage, { description: 'This enterprise\'s obligations, latest due first' })
  async taxObligations(
    @Root() enterprise: EnterpriseRef,
    @Args() page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('status', () => TaxObligationStatus, { nullable: true }) status?: TaxObligationStatus | null,
  ): Promise<TaxObligationPage> {
    return pageOf(withStatus(await obligationsBy(ctx, 'taxpayerEnterpriseCode').load(enterprise.enterpriseCode), status), page);
  }
}

@Resolver(() => LandParcelRef)
export class LandParcelTaxResolver {
  @Authorized('staff:TAX', 'staff:LAND', 'analyst')
  @FieldResolver(() => TaxObligationPage, { description: 'Land taxes and fees assessed on this parcel' })
  async landTaxes(@Root() parcel: LandParcelRef, @Args() page: PageArgs, @Ctx() ctx: RequestContext): Promise<TaxObligationPage> {
    return pageOf(await obligationsBy(ctx, 'parcelId').load(parcel.id), page);
  }
}
