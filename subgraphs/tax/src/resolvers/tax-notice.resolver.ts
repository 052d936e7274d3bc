import { Authorized, Arg, Ctx, FieldResolver, Float, Query, Resolver, Root, Directive } from 'type-graphql';
import { BadUserInputError, RequestContext, ForbiddenError } from '@onestop/platform';
import { TaxNotice } from '../entities/tax-notice';
import { TaxObligation } from '../entities/tax-obligation';
import { noticesByDossier, obligationsBy } from '../loaders';
import { DossierRef } from '../entities/references';

/** The notice, if the caller may read it: a citizen only when one of its lines is theirs to pay. */
async function guardNotice(ctx: RequestContext, notice: TaxNotice | null): Promise<TaxNotice | null> {
  const identity = ctx.identity;
  if (notice && !ctx.securityOff && identity?.role === 'citizen') {
    const lines = await obligationsBy(ctx, 'noticeId').load(notice.id);
    if (!lines.some((line) => line.taxpayerPersonalNumber === identity.subject)) {
      throw new ForbiddenError('A citizen may only read their own tax notices', { role: 'citizen' });
    }
  }
  return notice;
}

@Resolver(() => TaxNotice)
export class TaxNoticeResolver {
  @Authorized('citizen', 'staff:TAX', 'staff:LAND')
  @Query(() => TaxNotice, { nullable: true })
  async taxNotice(@Arg('noticeNumber') noticeNumber: string, @Ctx() ctx: RequestContext): Promise<TaxNotice | null> {
    if (!/^[0-9A-Za-z/.-]{1,30}$/.test(noticeNumber)) throw new BadUserInputError('noticeNumber', 'at most 30 letters, digits, / . -');
    return guardNotice(ctx, await ctx.db.getRepository(TaxNotice).findOneBy({ noticeNumber }));
  }

  // cost analysis: at most about this many items (gateway's @listSize; a list without a hint counts 20)
  @Directive('@listSize(assumedSize: 10)')
  @FieldResolver(() => [TaxObligation], { description: 'The amounts to pay' })
  lines(@Root() notice: TaxNotice, @Ctx() ctx: RequestContext): Promise<TaxObligation[]> {
    return obligationsBy(ctx, 'noticeId').load(notice.id);
  }

  @FieldResolver(() => Float)
  async totalAmount(@Root() notice: TaxNotice, @Ctx() ctx: RequestContext): Promise<number> {
    const lines = await obligationsBy(ctx, 'noticeId').load(notice.id);
    return lines.reduce((sum, line) => sum + line.amount, 0);
  }
}

@Resolver(() => DossierRef)
export class DossierTaxResolver {
  @FieldResolver(() => TaxNotice, { nullable: true, description: 'The tax office\'s assessment for this dossier (latest notice)' })
  async taxAssessment(@Root() dossier: DossierRef, @Ctx() ctx: RequestContext): Promise<TaxNotice | null> {
    // Reached through single window's Dossier, or through _entities sent straight here: the same guard as the root field.
    const notices = await noticesByDossier(ctx).load(dossier.code);
    return guardNotice(ctx, notices[0] ?? null);
  }
}
