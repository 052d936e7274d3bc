import { Args, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { RequestContext, PersonalData, mayFollowCitizen, PageArgs, PageOf, pageOf } from '@onestop/platform';
import { LandParcel } from '../entities/land-parcel';
import { LandUseRight } from '../entities/land-use-right';
import { CitizenRef, EnterpriseRef } from '../entities/references';
import { parcelById, rightsBy } from '../loaders';

export const LandUseRightPage = PageOf(LandUseRight, 'LandUseRightPage');
export type LandUseRightPage = InstanceType<typeof LandUseRightPage>;

@Resolver(() => LandUseRight)
export class LandUseRightResolver {
  @FieldResolver(() => LandParcel)
  async parcel(@Root() right: LandUseRight, @Ctx() ctx: RequestContext): Promise<LandParcel> {
    const parcel = await parcelById(ctx).load(right.parcelId);
    if (!parcel) throw new Error(`land_use_right ${right.id} names missing parcel ${right.parcelId}`);
    return parcel;
  }

  @FieldResolver(() => CitizenRef, { nullable: true, description: 'The holder, when a person' })
  @PersonalData<LandUseRight>({ subject: (r) => r.holderPersonalNumber })
  holderCitizen(@Root() right: LandUseRight): CitizenRef | null {
    return right.holderPersonalNumber ? { personalNumber: right.holderPersonalNumber } : null;
  }

  @FieldResolver(() => EnterpriseRef, { nullable: true, description: 'The holder, when an organisation' })
  holderEnterprise(@Root() right: LandUseRight): EnterpriseRef | null {
    return right.holderEnterpriseCode ? { enterpriseCode: right.holderEnterpriseCode } : null;
  }
}

@Resolver(() => CitizenRef)
export class CitizenLandRightsResolver {
  @Authorized('citizen', 'staff', 'analyst')
  @FieldResolver(() => LandUseRightPage, { description: 'Land-use rights this person holds now' })
  async landRights(@Root() citizen: CitizenRef, @Args() page: PageArgs, @Ctx() ctx: RequestContext): Promise<LandUseRightPage> {
    if (!mayFollowCitizen(ctx.identity, citizen.personalNumber, 'land rights')) return pageOf([], page);
    return pageOf(await rightsBy(ctx, 'holderPersonalNumber', true).load(citizen.personalNumber), page);
  }
}

@Resolver(() => EnterpriseRef)
export class EnterpriseLandRightsResolver {
  @Authorized('staff', 'analyst')
  @FieldResolver(() => LandUseRightPage, { description: 'Land-use rights this enterprise holds now' })
  async landRights(@Root() enterprise: EnterpriseRef, @Args() page: PageArgs, @Ctx() ctx: RequestContext): Promise<LandUseRightPage> {
    return pageOf(await rightsBy(ctx, 'holderEnterpriseCode', true).load(enterprise.enterpriseCode), page);
  }
}
