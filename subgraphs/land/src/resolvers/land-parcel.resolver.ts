import { Authorized, Arg, Args, ArgsType, Ctx, Field, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { FindOptionsWhere } from 'typeorm';
import { BadUserInputError, ForbiddenError, PageArgs, PageOf, pageOf, pageWindow, parseLandParcelId, RequestContext, required } from '@onestop/platform';
import { LandParcel } from '../entities/land-parcel';
import { LandTransaction } from '../entities/land-transaction';
import { landUsePurposeName } from '../land-use-purposes';
import { parcelById, rightsBy, transactionsBy } from '../loaders';
import { requireParcelRecords } from '../access';
import { LandUseRightPage } from './land-use-right.resolver';

const LandParcelPage = PageOf(LandParcel, 'LandParcelPage');
type LandParcelPage = InstanceType<typeof LandParcelPage>;
const LandTransactionPage = PageOf(LandTransaction, 'LandTransactionPage');
type LandTransactionPage = InstanceType<typeof LandTransactionPage>;

@ArgsType()
class LandParcelFilterArgs extends PageArgs {
  @Field({ description: 'Commune code, 5 digits' })
  communeCode: string;

  @Field(() => Int, { nullable: true })
  mapSheetNumber?: number | null;
}

@Resolver(() => LandParcel)
export class LandParcelResolver {
  @Authorized('citizen', 'staff')
  @Query(() => LandParcel, { nullable: true, description: 'A parcel by id; null when not in the cadastre' })
  landParcel(@Arg('id') id: string, @Ctx() ctx: RequestContext): Promise<LandParcel | null> {
    required(parseLandParcelId(id), 'id');
    return parcelById(ctx).load(id.trim());
  }

  @Authorized('staff', 'analyst')
  @Query(() => LandParcelPage, { description: 'Parcels of a commune, by map sheet and parcel number' })
  async landParcels(@Args() args: LandParcelFilterArgs, @Ctx() ctx: RequestContext): Promise<LandParcelPage> {
    const { skip, take } = pageWindow(args);
    if (!/^\d{5}$/.test(args.communeCode)) throw new BadUserInputError('communeCode', 'must be 5 digits');
    const where: FindOptionsWhere<LandParcel> = { communeCode: args.communeCode };
    if (args.mapSheetNumber !== undefined && args.mapSheetNumber !== null) {
      // a map sheet is a place: analysts count by commune
      if (ctx.identity?.role === 'analyst') throw new ForbiddenError('Analysts list parcels by commune, not by map sheet', { role: 'analyst' });
      if (args.mapSheetNumber < 1) throw new BadUserInputError('mapSheetNumber', 'must be 1 or more');
      where.mapSheetNumber = args.mapSheetNumber;
    }
    const [items, totalCount] = await ctx.db
      .getRepository(LandParcel)
      .findAndCount({ where, order: { mapSheetNumber: 'ASC', parcelNumber: 'ASC' }, skip, take });
    return { items, totalCount, offset: skip };
  }

  @FieldResolver(() => String)
  usePurposeName(@Root() parcel: LandParcel): string {
    return landUsePurposeName(parcel.usePurpose);
  }

  @FieldResolver(() => Boolean, { description: 'Sử dụng lâu dài' })
  isLongTerm(@Root() parcel: LandParcel): boolean {
    return parcel.useTermUntil === null;
  }

  @FieldResolver(() => LandUseRightPage, { description: 'A citizen: of parcels they hold or are a party to' })
  async rights(
    @Root() parcel: LandParcel,
    @Args() page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('activeOnly', () => Boolean, { defaultValue: true }) activeOnly: boolean,
  ): Promise<LandUseRightPage> {
    await requireParcelRecords(ctx, parcel.id, 'land-use rights');
    return pageOf(await rightsBy(ctx, 'parcelId', activeOnly).load(parcel.id), page);
  }

  @FieldResolver(() => LandTransactionPage, { description: 'Newest first; a citizen: of parcels they hold or are a party to' })
  async transactions(@Root() parcel: LandParcel, @Args() page: PageArgs, @Ctx() ctx: RequestContext): Promise<LandTransactionPage> {
    await requireParcelRecords(ctx, parcel.id, 'transactions');
    return pageOf(await transactionsBy(ctx, 'parcelId').load(parcel.id), page);
  }
}
