import { byKey, groupByKey, RequestContext, rowsByKeys } from '@onestop/platform';
import { AdministrativeUnit } from './entities/administrative-unit';
import { Agency } from './entities/agency';
import { Dossier } from './entities/dossier';
import { DossierEvent } from './entities/dossier-event';
import { Procedure } from './entities/procedure';

export function dossierByCode(ctx: RequestContext) {
  return ctx.loader<string, Dossier | null>('dossierByCode', async (codes) =>
    byKey(codes, await rowsByKeys(ctx.db, Dossier, { key: 'code', keys: codes }), (d) => d.code),
  );
}

export function procedureByCode(ctx: RequestContext) {
  return ctx.loader<string, Procedure | null>('procedureByCode', async (codes) =>
    byKey(codes, await rowsByKeys(ctx.db, Procedure, { key: 'code', keys: codes }), (p) => p.code),
  );
}

export function agencyByCode(ctx: RequestContext) {
  return ctx.loader<string, Agency | null>('agencyByCode', async (codes) =>
    byKey(codes, await rowsByKeys(ctx.db, Agency, { key: 'code', keys: codes }), (a) => a.code),
  );
}

export function unitByCode(ctx: RequestContext) {
  return ctx.loader<string, AdministrativeUnit | null>('unitByCode', async (codes) =>
    byKey(codes, await rowsByKeys(ctx.db, AdministrativeUnit, { key: 'code', keys: codes }), (u) => u.code),
  );
}

export function unitsByParent(ctx: RequestContext) {
  return ctx.loader<string, AdministrativeUnit[]>('unitsByParent', async (codes) =>
    groupByKey(
      codes,
      await rowsByKeys(ctx.db, AdministrativeUnit, { key: 'parentCode', keys: codes, order: { code: 'ASC' } }),
      (u) => u.parentCode,
    ),
  );
}

export function eventsByDossier(ctx: RequestContext) {
  return ctx.loader<string, DossierEvent[]>('eventsByDossier', async (codes) =>
    groupByKey(
      codes,
      await rowsByKeys(ctx.db, DossierEvent, { key: 'dossierCode', keys: codes, order: { at: 'ASC', id: 'ASC' } }),
      (e) => e.dossierCode,
    ),
  );
}

/** Dossiers filed by each applicant, newest first. */
export function dossiersByApplicant(ctx: RequestContext, column: 'applicantPersonalNumber' | 'applicantEnterpriseCode') {
  return ctx.loader<string, Dossier[]>(`dossiersBy.${column}`, async (ids) =>
    groupByKey(
      ids,
      await rowsByKeys(ctx.db, Dossier, { key: column, keys: ids, order: { receivedAt: 'DESC', code: 'DESC' } }),
      (d) => d[column],
    ),
  );
}
