import { byKey, groupByKey, RequestContext, rowsByKeys } from '@onestop/platform';
import { Citizen } from './entities/citizen';
import { CivilStatusRecord } from './entities/civil-status-record';

export function citizenByNumber(ctx: RequestContext) {
  return ctx.loader<string, Citizen | null>('citizenByNumber', async (numbers) =>
    byKey(numbers, await rowsByKeys(ctx.db, Citizen, { key: 'personalNumber', keys: numbers }), (c) => c.personalNumber),
  );
}

/** Records in which a person is the subject or the second party (spouse). */
export function recordsByPerson(ctx: RequestContext) {
  return ctx.loader<string, CivilStatusRecord[]>('recordsByPerson', async (numbers) => {
    const rows = await ctx.db
      .getRepository(CivilStatusRecord)
      .createQueryBuilder('r')
      .where('r.subjectPersonalNumber IN (:...numbers) OR r.secondPersonalNumber IN (:...numbers)', { numbers })
      .orderBy('r.registeredOn', 'ASC')
      .getMany();
    const bySubject = groupByKey(numbers, rows, (r) => r.subjectPersonalNumber);
    const bySecond = groupByKey(numbers, rows, (r) => r.secondPersonalNumber);
    return numbers.map((_, i) => [...bySubject[i], ...bySecond[i]]);
  });
}

export function recordsByDossier(ctx: RequestContext) {
  return ctx.loader<string, CivilStatusRecord[]>('recordsByDossier', async (codes) =>
    groupByKey(codes, await rowsByKeys(ctx.db, CivilStatusRecord, { key: 'dossierCode', keys: codes }), (r) => r.dossierCode),
  );
}
