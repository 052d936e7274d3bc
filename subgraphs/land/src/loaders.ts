import { byKey, groupByKey, RequestContext, rowsByKeys } from '@onestop/platform';
import { LandParcel } from './entities/land-parcel';
import { LandTransaction } from './entities/land-transaction';
import { LandUseRight, LandUseRightStatus } from './entities/land-use-right';

export function parcelById(ctx: RequestContext) {
  return ctx.loader<string, LandParcel | null>('parcelById', async (ids) =>
    byKey(ids, await rowsByKeys(ctx.db, LandParcel, { key: 'id', keys: ids }), (p) => p.id),
  );
}

/** Rights grouped by parcel or holder; `activeOnly` is part of the loader so both views batch separately. */
export function rightsBy(ctx: RequestContext, column: 'parcelId' | 'holderPersonalNumber' | 'holderEnterpriseCode', activeOnly: boolean) {
  return ctx.loader<string, LandUseRight[]>(`rightsBy.${column}.${activeOnly}`, async (keys) => {
    const where = activeOnly ? { status: LandUseRightStatus.ACTIVE } : {};
    const rows = await rowsByKeys(ctx.db, LandUseRight, { key: column, keys, where, order: { issuedOn: 'ASC', id: 'ASC' } });
    return groupByKey(keys, rows, (r) => r[column]);
  });
}

export function transactionsBy(ctx: RequestContext, column: 'parcelId' | 'dossierCode') {
  return ctx.loader<string, LandTransaction[]>(`transactionsBy.${column}`, async (keys) =>
    groupByKey(
      keys,
      await rowsByKeys(ctx.db, LandTransaction, { key: column, keys, order: { submittedAt: 'DESC', id: 'DESC' } }),
      (t) => t[column],
    ),
  );
}
