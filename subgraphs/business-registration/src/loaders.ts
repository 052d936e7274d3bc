import { byKey, groupByKey, RequestContext, rowsByKeys } from '@onestop/platform';
import { BusinessLine } from './entities/business-line';
import { Enterprise } from './entities/enterprise';

export function enterpriseByCode(ctx: RequestContext) {
  return ctx.loader<string, Enterprise | null>('enterpriseByCode', async (codes) =>
    byKey(codes, await rowsByKeys(ctx.db, Enterprise, { key: 'enterpriseCode', keys: codes }), (e) => e.enterpriseCode),
  );
}

/** Enterprises grouped by one of their reference columns, in name order. */
export function enterprisesBy(
  ctx: RequestContext,
  column: 'legalRepresentativePersonalNumber' | 'parentEnterpriseCode' | 'registrationDossierCode',
) {
  return ctx.loader<string, Enterprise[]>(`enterprisesBy.${column}`, async (keys) =>
    groupByKey(
      keys,
      await rowsByKeys(ctx.db, Enterprise, { key: column, keys, order: { name: 'ASC', enterpriseCode: 'ASC' } }),
      (e) => e[column],
    ),
  );
}

export function businessLinesByEnterprise(ctx: RequestContext) {
  return ctx.loader<string, BusinessLine[]>('businessLinesByEnterprise', async (codes) =>
    groupByKey(
      codes,
      await rowsByKeys(ctx.db, BusinessLine, { key: 'enterpriseCode', keys: codes, order: { isMain: 'DESC', vsicCode: 'ASC' } }),
      (l) => l.enterpriseCode,
    ),
  );
}
