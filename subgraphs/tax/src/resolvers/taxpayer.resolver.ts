import { Authorized, Arg, Ctx, FieldResolver, Resolver, Root, Directive } from 'type-graphql';
import { RequestContext, mayFollowCitizen } from '@onestop/platform';
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
  @FieldResolver(() => [TaxObligation], { description: 'This person\'s obligations, latest due first' })
  async taxObligations(
    @Root() citizen: CitizenRef,
    @Ctx() ctx: RequestContext,
    @Arg('status', () => TaxObligationStatus, { nullable: true }) status?: TaxObligationStatus | null,
  ): Promise<TaxObligation[]> {
    if (!mayFollowCitizen(ctx.identity, citizen.personalNumber, 'tax obligations')) return [];
    return withStatus(await obligationsBy(ctx, 'taxpayerPersonalNumber').load(citizen.personalNumber), status);
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
  @FieldResolver(() => [TaxObligation])
  async taxObligations(
    @Root() enterprise: EnterpriseRef,
    @Ctx() ctx: RequestContext,
    @Arg('status', () => TaxObligationStatus, { nullable: true }) status?: TaxObligationStatus | null,
  ): Promise<TaxObligation[]> {
    return withStatus(await obligationsBy(ctx, 'taxpayerEnterpriseCode').load(enterprise.enterpriseCode), status);
  }
}

@Resolver(() => LandParcelRef)
export class LandParcelTaxResolver {
  @Authorized('staff:TAX', 'staff:LAND', 'analyst')
  // cost analysis: at most about this many items (gateway's @listSize; a list without a hint counts 20)
  @Directive('@listSize(assumedSize: 10)')
  @FieldResolver(() => [TaxObligation], { description: 'Land taxes and fees assessed on this parcel' })
  landTaxes(@Root() parcel: LandParcelRef, @Ctx() ctx: RequestContext): Promise<TaxObligation[]> {
    return obligationsBy(ctx, 'parcelId').load(parcel.id);
  }
}
