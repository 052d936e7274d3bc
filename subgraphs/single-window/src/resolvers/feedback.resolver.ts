import { Arg, Args, ArgsType, Authorized, Ctx, Field, InputType, Mutation, Query, Resolver } from 'type-graphql';
import { Length, MaxLength } from 'class-validator';
import { FindOptionsWhere, LessThan } from 'typeorm';
import {
  BadUserInputError, ForbiddenError, NotFoundError, PageArgs, PageOf, pageWindow, RequestContext, required, requireAgencyScope, Scope, validateDossierCode,
} from '@onestop/platform';
import { mayReadDossier, provincialServiceCenters } from '../access';
import { Dossier } from '../entities/dossier';
import { Feedback, FeedbackKind, FeedbackStatus } from '../entities/feedback';
import { answerFeedback, receiveFeedback } from '../feedback/feedback';

const FeedbackPage = PageOf(Feedback, 'FeedbackPage');
type FeedbackPage = InstanceType<typeof FeedbackPage>;

@InputType({ description: 'Phản ánh, kiến nghị: about a dossier, or about an agency\'s rules or service' })
class FeedbackInput {
  @Field(() => FeedbackKind)
  kind: FeedbackKind;

  @Field()
  @Length(1, 2000)
  content: string;

  @Field()
  @Length(1, 120)
  submitterName: string;

  @Field(() => String, { nullable: true, description: 'The dossier it is about; the handling agency answers' })
  dossierCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Without a dossier: the agency it is about' })
  @MaxLength(30)
  agencyCode?: string | null;
}

@ArgsType()
class FeedbackFilterArgs extends PageArgs {
  @Field(() => FeedbackStatus, { nullable: true })
  status?: FeedbackStatus | null;

  @Field(() => Boolean, { nullable: true, description: 'Only those still open past their due date' })
  overdue?: boolean | null;

  @Field(() => String, { nullable: true, description: 'The agency that must answer (staff: their own)' })
  agencyCode?: string | null;
}

function isStaff(ctx: RequestContext): boolean {
  return ctx.identity?.role === 'officer' || ctx.identity?.role === 'agency-system';
}

function mayReadFeedback(ctx: RequestContext, feedback: Feedback): boolean {
  if (ctx.securityOff) return true;
  const identity = ctx.identity;
  if (!identity) return false;
  if (identity.role === 'admin' || identity.role === 'analyst') return true;
  if (identity.role === 'citizen') return feedback.submitterPersonalNumber === identity.subject;
  return identity.sector === 'SERVICE_CENTER' || identity.agency === feedback.agencyCode;
}

@Resolver(() => Feedback)
export class FeedbackResolver {
  @Authorized('citizen', 'staff:SERVICE_CENTER')
  @Scope("a named dossier's receiving or handling agency (a citizen: their own dossier)")
  @Mutation(() => Feedback, { description: 'Send feedback (phản ánh, kiến nghị); the counter may record it for a citizen' })
  submitFeedback(@Arg('input') input: FeedbackInput, @Ctx() ctx: RequestContext): Promise<Feedback> {
    const dossierCode = input.dossierCode ? required(validateDossierCode(input.dossierCode), 'input.dossierCode') : null;
    return ctx.db.transaction(async (manager) => {
      if (dossierCode) {
        const dossier = await manager.getRepository(Dossier).findOneBy({ code: dossierCode });
        if (!dossier || !mayReadDossier(ctx, dossier)) throw new BadUserInputError('input.dossierCode', `no dossier ${dossierCode} of yours`);
      }
      const citizen = ctx.identity?.role === 'citizen' ? ctx.identity.subject : null;
      const feedback = await receiveFeedback(manager, {
        kind: input.kind, content: input.content, submitterName: input.submitterName, submitterPersonalNumber: citizen, dossierCode, agencyCode: input.agencyCode,
      }, new Date());
      if (citizen) ctx.personalData.wrote(citizen, 'Feedback.submitFeedback');
      return feedback;
    });
  }

  @Authorized('staff')
  @Scope("the feedback's agency concerned, or the province's service center")
  @Mutation(() => Feedback, { description: 'Answer feedback (once): the agency concerned, or the service center' })
  answerFeedback(@Arg('code') code: string, @Arg('answer') answer: string, @Ctx() ctx: RequestContext): Promise<Feedback> {
    if (!answer.trim() || answer.length > 2000) throw new BadUserInputError('answer', 'from 1 to 2000 characters');
    return ctx.db.transaction(async (manager) => {
      const feedback = await manager.getRepository(Feedback).findOneBy({ code });
      if (feedback && !mayReadFeedback(ctx, feedback)) throw new NotFoundError('Feedback', code);
      if (feedback) requireAgencyScope(ctx, { agencies: [feedback.agencyCode, ...await provincialServiceCenters(manager)] }, `Feedback ${code}`);
      return answerFeedback(manager, feedback, code, answer, ctx.identity?.subject.slice(0, 64) ?? null, new Date());
    });
  }

  @Authorized('citizen', 'staff')
  @Query(() => Feedback, { nullable: true, description: 'One feedback by its code: its submitter or the agency concerned' })
  async feedback(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<Feedback | null> {
    const feedback = await ctx.db.getRepository(Feedback).findOneBy({ code });
    return feedback && mayReadFeedback(ctx, feedback) ? feedback : null;
  }

  @Authorized('citizen', 'staff', 'analyst')
  @Query(() => FeedbackPage, { description: 'Feedback, newest first: a citizen\'s own, an agency\'s to answer, or all for analysts' })
  async feedbacks(@Args() args: FeedbackFilterArgs, @Ctx() ctx: RequestContext): Promise<FeedbackPage> {
    const { skip, take } = pageWindow(args);
    const where: FindOptionsWhere<Feedback> = {};
    if (args.status) where.status = args.status;
    if (args.overdue) Object.assign(where, { status: FeedbackStatus.RECEIVED, dueAt: LessThan(new Date()) });
    if (args.agencyCode) where.agencyCode = args.agencyCode;
    const identity = ctx.identity;
    if (!ctx.securityOff && identity?.role === 'citizen') where.submitterPersonalNumber = identity.subject;
    if (!ctx.securityOff && isStaff(ctx) && identity?.sector !== 'SERVICE_CENTER') {
      if (args.agencyCode && args.agencyCode !== identity?.agency) throw new ForbiddenError(`Staff see their own agency's feedback only (${identity?.agency})`);
      where.agencyCode = identity!.agency!;
    }
    const [items, totalCount] = await ctx.db.getRepository(Feedback).findAndCount({ where, order: { receivedAt: 'DESC', code: 'DESC' }, skip, take });
    return { items, totalCount, offset: skip };
  }
}
