import { Arg, Authorized, Ctx, Field, FieldResolver, Float, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { ArrayMaxSize, Length, MaxLength, Min } from 'class-validator';
import { EntityManager } from 'typeorm';
import {
  BadUserInputError, ConflictError, ForbiddenError, inAgencyScope, NotFoundError, NotificationDelivery, RequestContext, required, rowLock, Scope, validateDossierCode,
} from '@onestop/platform';
import { mayReadDossier, officerOf } from '../access';
import { Dossier, Rating, ReturnChannel } from '../entities/dossier';
import { DossierStatus as S } from '../entities/dossier-status';
import { issueApology, rateDossier } from '../lifecycle/after-result';
import { moveDossier, Step } from '../lifecycle/move';
import { missingPapersOf } from '../documents/attach';

@InputType()
class DossierReasonInput {
  @Field()
  code: string;

  @Field()
  @Length(1, 400)
  reason: string;
}

@InputType({ description: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (form 02): the clock stops until the supplement comes back' })
class SupplementRequestInput extends DossierReasonInput {
  @Field(() => [String], { nullable: true, description: 'The papers or data still missing' })
  @ArrayMaxSize(20)
  @MaxLength(200, { each: true })
  missingItems?: string[] | null;
}

@InputType({ description: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả (form 04)' })
class ApologyInput extends DossierReasonInput {
  @Field({ description: 'The new appointment; the outcome is still judged against the original one' })
  newAppointmentAt: Date;
}

@InputType({ description: 'The result handed back, and the fees collected on site' })
class ReturnResultInput {
  @Field()
  code: string;

  @Field(() => ReturnChannel)
  channel: ReturnChannel;

  @Field(() => Float, { nullable: true, description: 'Fees and charges collected on site, in đồng' })
  @Min(0)
  feeCollected?: number | null;
}

@InputType({ description: 'The applicant\'s satisfaction with the handling of their dossier' })
class RatingInput {
  @Field()
  code: string;

  @Field(() => Rating)
  rating: Rating;

  @Field(() => String, { nullable: true, description: 'Required when not satisfied' })
  @MaxLength(500)
  reason?: string | null;
}

@ObjectType({ description: 'A status notice to the applicant: sent, failed after retries, or nobody to tell' })
class NoticeRecord {
  @Field({ description: 'sms, email, or none' }) medium: string;
  @Field({ description: 'SENT, FAILED or NO_CONTACT' }) outcome: string;
  @Field({ description: 'The sender that handled it (log, sms-http, email-http)' }) sender: string;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field() at: Date;
}

type Who = 'staff' | 'applicant';

/** The dossier under a row lock, if the caller may act on it: staff of its receiving or handling agency, or its applicant. */
export async function lockedDossier(manager: EntityManager, ctx: RequestContext, code: string, who: Who[]): Promise<Dossier> {
  const dossier = await manager.getRepository(Dossier).findOne({ where: { code: required(validateDossierCode(code), 'input.code') }, lock: rowLock(manager) });
  if (!dossier || !mayReadDossier(ctx, dossier)) throw new NotFoundError('Dossier', code);
  const identity = ctx.identity;
  if (ctx.securityOff || identity?.role === 'admin') return dossier;
  const isStaff = (identity?.role === 'officer' || identity?.role === 'agency-system')
    && inAgencyScope(identity, { agencies: [dossier.receivingAgencyCode, dossier.handlingAgencyCode] });
  const isApplicant = identity?.role === 'citizen' && identity.subject === dossier.applicantPersonalNumber;
  if ((who.includes('staff') && isStaff) || (who.includes('applicant') && isApplicant)) return dossier;
  throw new ForbiddenError(`Dossier ${dossier.code}: only ${who.map((w) => (w === 'staff' ? 'its receiving or handling agency' : 'its applicant')).join(' or ')} may do this`, { role: identity?.role });
}

function agencyOf(ctx: RequestContext): string | null {
  return ctx.identity?.agency ?? null;
}


/** The steps officers and applicants take at the counter or online (forms 02, 04, 05; withdrawal, result, rating). */
@Resolver(() => Dossier)
export class LifecycleResolver {
  private step(
    ctx: RequestContext, code: string, who: Who[],
    step: (d: Dossier, manager: EntityManager) => Omit<Step, 'at' | 'agencyCode' | 'officerId'> | Promise<Omit<Step, 'at' | 'agencyCode' | 'officerId'>>,
  ): Promise<Dossier> {
    return ctx.db.transaction(async (manager) => {
      const dossier = await lockedDossier(manager, ctx, code, who);
      return moveDossier(manager, dossier, { ...(await step(dossier, manager)), at: new Date(), agencyCode: agencyOf(ctx), officerId: officerOf(ctx) }, (n) => ctx.handoffs.notify(manager, n));
    });
  }

  @Authorized('staff')
  @Scope("the dossier's receiving or handling agency")
  @Mutation(() => Dossier, { description: 'Form 02: ask the applicant to supplement the dossier; its clock stops until they do' })
  requestSupplement(@Arg('input') input: SupplementRequestInput, @Ctx() ctx: RequestContext): Promise<Dossier> {
    return this.step(ctx, input.code, ['staff'], async (d, manager) => {
      // what the officer names, and the procedure's mandatory papers the dossier's records lack
      const items = [...(input.missingItems ?? []), ...(await missingPapersOf(manager, d)).map((paper) => paper.name)];
      const missing = items.length ? `; còn thiếu: ${[...new Set(items)].join(', ')}` : '';
      return { to: S.SUPPLEMENT_REQUESTED, action: 'SUPPLEMENT_REQUESTED', note: `Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02): ${input.reason}${missing}` };
    });
  }

  @Authorized('staff', 'citizen')
  @Scope("the dossier's receiving or handling agency; its applicant")
  @Mutation(() => Dossier, { description: 'The supplement came back (at the counter or online): appraisal and the clock resume' })
  receiveSupplement(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<Dossier> {
    return this.step(ctx, code, ['staff', 'applicant'], (d) => {
      if (d.status !== S.SUPPLEMENT_REQUESTED) throw new ConflictError(`Dossier ${d.code} is ${d.status}; no supplement was requested`, { reason: 'ILLEGAL_TRANSITION', from: d.status });
      return { to: S.IN_APPRAISAL, action: 'SUPPLEMENT_RECEIVED', note: 'Đã nhận hồ sơ bổ sung' };
    });
  }

  @Authorized('staff')
  @Scope("the dossier's receiving or handling agency")
  @Mutation(() => Dossier, { description: 'Form 05: stop processing, with the reason' })
  stopProcessing(@Arg('input') input: DossierReasonInput, @Ctx() ctx: RequestContext): Promise<Dossier> {
    return this.step(ctx, input.code, ['staff'], () => ({ to: S.STOPPED, action: 'PROCESSING_STOPPED', note: `Phiếu đề nghị dừng giải quyết hồ sơ (mẫu 05): ${input.reason}` }));
  }

  @Authorized('staff', 'citizen')
  @Scope("the dossier's receiving or handling agency; its applicant")
  @Mutation(() => Dossier, { description: 'The applicant withdraws the dossier (rút hồ sơ)' })
  withdrawDossier(@Arg('input') input: DossierReasonInput, @Ctx() ctx: RequestContext): Promise<Dossier> {
    return this.step(ctx, input.code, ['staff', 'applicant'], () => ({ to: S.WITHDRAWN, action: 'WITHDRAWN', note: `Rút hồ sơ: ${input.reason}` }));
  }

  @Authorized('staff')
  @Scope("the dossier's receiving or handling agency")
  @Mutation(() => Dossier, { description: 'The handling agency resolved the dossier (for procedures no agency system reports on)' })
  resolveDossier(@Arg('code') code: string, @Arg('note', () => String, { nullable: true }) note: string | null, @Ctx() ctx: RequestContext): Promise<Dossier> {
    if (note && note.length > 400) throw new BadUserInputError('note', 'at most 400 characters');
    return this.step(ctx, code, ['staff'], () => ({ to: S.RESOLVED, action: 'RESOLVED', note: note ?? null }));
  }

  @Authorized('staff')
  @Scope("the dossier's receiving or handling agency")
  @Mutation(() => Dossier, { description: 'The result handed back at the counter, sent by public postal service or electronically; fees collected recorded' })
  returnResult(@Arg('input') input: ReturnResultInput, @Ctx() ctx: RequestContext): Promise<Dossier> {
    return this.step(ctx, input.code, ['staff'], () => ({
      to: S.RETURNED, action: 'RESULT_RETURNED', returnChannel: input.channel, feeCollected: input.feeCollected ?? null,
      note: { COUNTER: 'Trả kết quả tại bộ phận một cửa', POSTAL: 'Trả kết quả qua dịch vụ bưu chính công ích', ELECTRONIC: 'Trả kết quả điện tử' }[input.channel],
    }));
  }

  @Authorized('staff')
  @Scope("the dossier's receiving or handling agency")
  @Mutation(() => Dossier, { description: 'Form 04: apologise for the delay and give a new appointment (once per dossier unless configured)' })
  issueApology(@Arg('input') input: ApologyInput, @Ctx() ctx: RequestContext): Promise<Dossier> {
    return ctx.db.transaction(async (manager) => issueApology(manager, await lockedDossier(manager, ctx, input.code, ['staff']), {
      newAppointmentAt: input.newAppointmentAt, reason: input.reason, at: new Date(), agencyCode: agencyOf(ctx), officerId: officerOf(ctx),
    }));
  }

  @FieldResolver(() => [NoticeRecord], { description: 'Status notices sent to the applicant, oldest first (staff and the applicant)' })
  async notices(@Root() dossier: Dossier, @Ctx() ctx: RequestContext): Promise<NoticeRecord[]> {
    if (ctx.identity?.role === 'analyst') return [];
    const rows = await ctx.db.getRepository(NotificationDelivery).find({ where: { reference: dossier.code }, order: { at: 'ASC' } });
    return rows.map(({ medium, outcome, sender, error, at }) => ({ medium, outcome, sender, error, at }));
  }

  @Authorized('citizen')
  @Scope("its applicant only (no agency)")
  @Mutation(() => Dossier, { description: 'Đánh giá mức độ hài lòng: the applicant rates the handling once the result is out' })
  rateDossier(@Arg('input') input: RatingInput, @Ctx() ctx: RequestContext): Promise<Dossier> {
    return ctx.db.transaction(async (manager) =>
      rateDossier(manager, await lockedDossier(manager, ctx, input.code, ['applicant']), input.rating, input.reason, new Date()));
  }
}
