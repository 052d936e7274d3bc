import { Authorized, Arg, Ctx, FieldResolver, ID, Query, Resolver, Root, Directive } from 'type-graphql';
import { BadUserInputError, ForbiddenError, groupByKey, RequestContext, rowsByKeys } from '@onestop/platform';
import { CivilStatusFollowUp } from '../entities/follow-up';
import { Citizen } from '../entities/citizen';
import { CivilStatusRecord } from '../entities/civil-status-record';
import { DossierRef } from '../entities/references';
import { citizenByNumber, recordsByDossier } from '../loaders';

@Resolver(() => CivilStatusRecord)
export class CivilStatusRecordResolver {
  @Authorized('citizen', 'staff:CIVIL_STATUS')
  @Query(() => CivilStatusRecord, { nullable: true })
  async civilStatusRecord(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<CivilStatusRecord | null> {
    const numeric = Number(id);
    if (!Number.isInteger(numeric) || numeric < 1) throw new BadUserInputError('id', 'must be a positive integer');
    const record = await ctx.db.getRepository(CivilStatusRecord).findOneBy({ id: numeric });
    if (!record) return null;
    const identity = ctx.identity;
    if (identity?.role === 'citizen' && record.subjectPersonalNumber !== identity.subject && record.secondPersonalNumber !== identity.subject) {
      throw new ForbiddenError('A citizen may only read civil-status records about themself', { role: 'citizen' });
    }
    if (identity?.role !== 'analyst') ctx.personalData.read(record.subjectPersonalNumber, 'CivilStatusRecord');
    return record;
  }

  @FieldResolver(() => Citizen, { nullable: true, description: 'The child, the husband or the deceased' })
  subject(@Root() record: CivilStatusRecord, @Ctx() ctx: RequestContext): Promise<Citizen | null> {
    return citizenByNumber(ctx).load(record.subjectPersonalNumber);
  }

  // cost analysis: at most about this many items (gateway's @listSize; a list without a hint counts 20)
  @Directive('@listSize(assumedSize: 5)')
  @FieldResolver(() => [CivilStatusFollowUp], { description: 'What police and social insurance did after this registration' })
  followUps(@Root() record: CivilStatusRecord, @Ctx() ctx: RequestContext): Promise<CivilStatusFollowUp[]> {
    return ctx.loader<number, CivilStatusFollowUp[]>('followUpsByRecord', async (ids) => groupByKey(
      ids, await rowsByKeys(ctx.db, CivilStatusFollowUp, { key: 'recordId', keys: ids, order: { id: 'ASC' } }), (f) => f.recordId,
    )).load(record.id);
  }

  @FieldResolver(() => Citizen, { nullable: true, description: 'The wife, for a marriage' })
  spouse(@Root() record: CivilStatusRecord, @Ctx() ctx: RequestContext): Promise<Citizen | null> | null {
    return record.secondPersonalNumber ? citizenByNumber(ctx).load(record.secondPersonalNumber) : null;
  }
}

@Resolver(() => DossierRef)
export class DossierCivilStatusResolver {
  // Guarded here, not only by single-window's dossier: `_entities` may name any dossier code. Staff by sector, as the
  // root field; a citizen only as the applicant of the dossier the entries were registered through.
  @Authorized('citizen', 'staff:CIVIL_STATUS', 'analyst')
  @FieldResolver(() => [CivilStatusRecord], { nullable: true, description: 'Civil-status entries registered through this dossier' })
  async civilStatusRecords(@Root() dossier: DossierRef, @Ctx() ctx: RequestContext): Promise<CivilStatusRecord[]> {
    const records = await recordsByDossier(ctx).load(dossier.code);
    const identity = ctx.identity;
    if (!ctx.securityOff && identity?.role === 'citizen' && records.some((r) => r.applicantPersonalNumber !== identity.subject)) {
      throw new ForbiddenError('A citizen may only read the civil-status entries of their own dossiers', { role: 'citizen' });
    }
    return records;
  }
}
