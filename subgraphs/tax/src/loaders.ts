import { byKey, groupByKey, RequestContext, rowsByKeys } from '@onestop/platform';
import { TaxNotice } from './entities/tax-notice';
import { TaxObligation } from './entities/tax-obligation';
import { TaxPayment } from './entities/tax-payment';
import { TaxProfile } from './entities/tax-profile';

/** Obligations grouped by taxpayer, parcel or notice, latest due first. */
export function obligationsBy(
  ctx: RequestContext,
  column: 'taxpayerPersonalNumber' | 'taxpayerEnterpriseCode' | 'parcelId' | 'noticeId',
) {
  return ctx.loader<string | number, TaxObligation[]>(`obligationsBy.${column}`, async (keys) =>
    groupByKey(
      keys,
      await rowsByKeys(ctx.db, TaxObligation, { key: column, keys, order: { dueDate: 'DESC', id: 'DESC' } }),
      (o) => o[column],
    ),
  );
}

export function paymentsByObligation(ctx: RequestContext) {
  return ctx.loader<number, TaxPayment[]>('paymentsByObligation', async (ids) =>
    groupByKey(ids, await rowsByKeys(ctx.db, TaxPayment, { key: 'obligationId', keys: ids, order: { paidAt: 'ASC' } }), (p) => p.obligationId),
  );
}

export function noticeById(ctx: RequestContext) {
  return ctx.loader<number, TaxNotice | null>('noticeById', async (ids) =>
    byKey(ids, await rowsByKeys(ctx.db, TaxNotice, { key: 'id', keys: ids }), (n) => n.id),
  );
}

/** Notices per dossier, latest first. */
export function noticesByDossier(ctx: RequestContext) {
  return ctx.loader<string, TaxNotice[]>('noticesByDossier', async (codes) =>
    groupByKey(codes, await rowsByKeys(ctx.db, TaxNotice, { key: 'dossierCode', keys: codes, order: { issuedOn: 'DESC', id: 'DESC' } }), (n) => n.dossierCode),
  );
}

export function profileByEnterprise(ctx: RequestContext) {
  return ctx.loader<string, TaxProfile | null>('profileByEnterprise', async (codes) =>
    byKey(codes, await rowsByKeys(ctx.db, TaxProfile, { key: 'enterpriseCode', keys: codes }), (p) => p.enterpriseCode),
  );
}
