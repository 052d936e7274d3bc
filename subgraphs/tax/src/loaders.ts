import { In } from 'typeorm';
import { byKey, groupByKey, RequestContext } from '@onestop/platform';
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
      await ctx.db.getRepository(TaxObligation).find({ where: { [column]: In([...keys]) }, order: { dueDate: 'DESC', id: 'DESC' } }),
      (o) => o[column],
    ),
  );
}

export function paymentsByObligation(ctx: RequestContext) {
  return ctx.loader<number, TaxPayment[]>('paymentsByObligation', async (ids) =>
    groupByKey(ids, await ctx.db.getRepository(TaxPayment).find({ where: { obligationId: In([...ids]) }, order: { paidAt: 'ASC' } }), (p) => p.obligationId),
  );
}

export function noticeById(ctx: RequestContext) {
  return ctx.loader<number, TaxNotice | null>('noticeById', async (ids) =>
    byKey(ids, await ctx.db.getRepository(TaxNotice).findBy({ id: In([...ids]) }), (n) => n.id),
  );
}

/** Notices per dossier, latest first. */
export function noticesByDossier(ctx: RequestContext) {
  return ctx.loader<string, TaxNotice[]>('noticesByDossier', async (codes) =>
    groupByKey(codes, await ctx.db.getRepository(TaxNotice).find({ where: { dossierCode: In([...codes]) }, order: { issuedOn: 'DESC', id: 'DESC' } }), (n) => n.dossierCode),
  );
}

export function profileByEnterprise(ctx: RequestContext) {
  return ctx.loader<string, TaxProfile | null>('profileByEnterprise', async (codes) =>
    byKey(codes, await ctx.db.getRepository(TaxProfile).findBy({ enterpriseCode: In([...codes]) }), (p) => p.enterpriseCode),
  );
}
