import { FindOptionsWhere, In } from 'typeorm';
import { byKey, groupByKey, RequestContext } from '@onestop/platform';
import { LandParcel } from './entities/land-parcel';
import { LandTransaction } from './entities/land-transaction';
import { LandUseRight, LandUseRightStatus } from './entities/land-use-right';

export function parcelById(ctx: RequestContext) {
  return ctx.loader<string, LandParcel | null>('parcelById', async (ids) =>
    byKey(ids, await ctx.db.getRepository(LandParcel).findBy({ id: In([...ids]) }), (p) => p.id),
  );
}

/** Rights grouped by parcel or holder; `activeOnly` is part of the loader so both views batch separately. */
export function rightsBy(ctx: RequestContext, column: 'parcelId' | 'holderPersonalNumber' | 'holderEnterpriseCode', activeOnly: boolean) {
  return ctx.loader<string, LandUseRight[]>(`rightsBy.${column}.${activeOnly}`, async (keys) => {
    const where: FindOptionsWhere<LandUseRight> = { [column]: In([...keys]) };
    if (activeOnly) where.status = LandUseRightStatus.ACTIVE;
    const rows = await ctx.db.getRepository(LandUseRight).find({ where, order: { issuedOn: 'ASC', id: 'ASC' } });
    return groupByKey(keys, rows, (r) => r[column]);
  });
}

export function transactionsBy(ctx: RequestContext, column: 'parcelId' | 'dossierCode') {
  return ctx.loader<string, LandTransaction[]>(`transactionsBy.${column}`, async (keys) =>
    groupByKey(
      keys,
      await ctx.db.getRepository(LandTransaction).find({ where: { [column]: In([...keys]) }, order: { submittedAt: 'DESC', id: 'DESC' } }),
      (t) => t[column],
    ),
  );
}
