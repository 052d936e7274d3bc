import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Length, MaxLength } from 'class-validator';
import { Between, EntityManager, FindOptionsWhere, In } from 'typeorm';
import {
  BadUserInputError, checkPayload, contractFor, isMaskedIdentifier, NotFoundError, PageArgs, PersonalData, PageOf, pageOf, pageWindow, RequestContext,
  required, requireAgencyScope, requireSelfIfCitizen, rowLock, Scope, sendFromInput, SendRequest, validateDossierCode, validateProcedureCode,
} from '@onestop/platform';
import { dossierScope, guardDossier, mayReadDossier, officerOf } from '../access';
import { checkCitizenSubmission, checkStaffSubmission, checkSubmissionDates, filingOf } from '../filing';
import { statusNotification } from '../notifications';
import { Agency } from '../entities/agency';
import { Dossier } from '../entities/dossier';
import { DossierEvent } from '../entities/dossier-event';
import { Channel, DossierStatus, FINISHED_STATUSES } from '../entities/dossier-status';
import { Procedure } from '../entities/procedure';
import { CitizenRef, EnterpriseRef } from '../entities/references';
import { acceptDraft, receiveDossier, workingCalendar } from '../intake';
import { moveDossier } from '../lifecycle/move';
import {
  BirthRegistrationInput, DeathRegistrationInput, EnterpriseRegistrationInput, handoffForSubmission, LandTransferInput,
} from '../handoffs/requests';
import { DossierStatus as Status, NATIONAL_STATUS_CODE } from '../entities/dossier-status';
import { agencyByCode, dossierByCode, dossiersByApplicant, eventsByDossier, procedureByCode } from '../loaders';

const DossierPage = PageOf(Dossier, 'DossierPage');
type DossierPage = InstanceType<typeof DossierPage>;

@ArgsType()
class DossierFilterArgs extends PageArgs {
  @Field(() => [DossierStatus], { nullable: true })
  statuses?: DossierStatus[] | null;

  @Field(() => String, { nullable: true })
  receivingAgencyCode?: string | null;

  @Field(() => String, { nullable: true, description: 'An officer\'s inbox: dossiers their agency handles' })
  handlingAgencyCode?: string | null;

  @Field(() => String, { nullable: true })
  procedureCode?: string | null;

  @Field(() => Date, { nullable: true })
  receivedFrom?: Date | null;

  @Field(() => Date, { nullable: true })
  receivedTo?: Date | null;
}

@InputType({ description: 'A paper of a dossier: its kind (from the procedure\'s requiredPapers) and its content\'s SHA-256' })
export class DocumentReferenceInput {
  @Field()
  @MaxLength(60)
  kind: string;

  @Field({ description: 'Hex SHA-256, as the upload answered it or as Citizen.documents lists it' })
  @MaxLength(64)
  hash: string;
}

@InputType({ description: 'A dossier handed in at a counter, online or by post' })
class SubmitDossierInput {
  @Field()
  procedureCode: string;

  @Field()
  receivingAgencyCode: string;

  @Field(() => Channel)
  channel: Channel;

  @Field()
  @Length(1, 120)
  applicantName: string;

  @Field(() => String, { nullable: true, description: 'For a person: the 12-digit personal number' })
  applicantPersonalNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'For an enterprise: the enterprise code' })
  applicantEnterpriseCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Phone for status SMS (0… or +84…)' })
  @MaxLength(20)
  contactPhone?: string | null;

  @Field(() => String, { nullable: true, description: 'E-mail for status notices' })
  @MaxLength(120)
  contactEmail?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'The fee was paid through the online payment platform' })
  paidOnline?: boolean | null;

  @Field(() => [DocumentReferenceInput], {
    nullable: true,
    description: 'Its papers: each the hash of content the caller uploaded (requestDocumentUpload), or of a document in the applicant\'s own store (reused: not handed in again)',
  })
  documents?: DocumentReferenceInput[] | null;

  @Field(() => String, { nullable: true })
  @MaxLength(64)
  officerId?: string | null;

  @Field(() => LandTransferInput, { nullable: true, description: 'Land procedures: hands the dossier to the land registration office' })
  landTransfer?: LandTransferInput | null;

  @Field(() => EnterpriseRegistrationInput, { nullable: true, description: 'Enterprise founding: hands the dossier to business registration' })
  enterpriseRegistration?: EnterpriseRegistrationInput | null;

  @Field(() => BirthRegistrationInput, { nullable: true, description: 'Birth registration: hands the dossier to the civil-status officer' })
  birthRegistration?: BirthRegistrationInput | null;

  @Field(() => DeathRegistrationInput, { nullable: true, description: 'Death registration: hands the dossier to the civil-status officer' })
  deathRegistration?: DeathRegistrationInput | null;
}

@ObjectType({ description: 'Tra cứu hồ sơ: what anyone holding a dossier code may see — no personal data' })
class DossierLookup {
  @Field() code: string;
  @Field() procedureCode: string;
  @Field(() => String, { nullable: true }) procedureName: string | null;
  @Field(() => DossierStatus) status: DossierStatus;
  @Field(() => Int) statusCode: number;
  @Field() receivedAt: Date;
  @Field(() => Date, { nullable: true, description: 'The appointment, or the new one given in an apology (form 04)' }) expectedReturnAt: Date | null;
  @Field(() => Date, { nullable: true }) resolvedAt: Date | null;
  @Field(() => String, { nullable: true }) receivingUnitName: string | null;
  @Field(() => [DossierLookupStep], { description: 'Each status it went through, with its date' }) steps: DossierLookupStep[];
}

@ObjectType()
class DossierLookupStep {
  @Field(() => DossierStatus) status: DossierStatus;
  @Field() at: Date;
}

@Resolver(() => Dossier)
export class DossierResolver {
  @Authorized('public')
  @Query(() => DossierLookup, { nullable: true, description: 'Tra cứu hồ sơ by its code, signed in or not: status, expected date and steps, nothing personal' })
  async dossierLookup(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<DossierLookup | null> {
    const dossier = await dossierByCode(ctx).load(required(validateDossierCode(code), 'code'));
    if (!dossier || dossier.status === Status.DRAFT) return null;
    const [procedure, unit, events] = await Promise.all([
      procedureByCode(ctx).load(dossier.procedureCode), agencyByCode(ctx).load(dossier.receivingAgencyCode), eventsByDossier(ctx).load(dossier.code),
    ]);
    const steps: DossierLookupStep[] = [];
    for (const event of events) if (steps[steps.length - 1]?.status !== event.status) steps.push({ status: event.status, at: event.at });
    return {
      code: dossier.code, procedureCode: dossier.procedureCode, procedureName: procedure?.name ?? null, status: dossier.status, statusCode: dossier.statusCode,
      receivedAt: dossier.receivedAt, expectedReturnAt: dossier.apologyAppointmentAt ?? dossier.appointmentAt, resolvedAt: dossier.resolvedAt,
      receivingUnitName: unit?.name ?? null, steps,
    };
  }

  @FieldResolver(() => Date, { nullable: true, description: 'The appointment, or the new one given in an apology (form 04)' })
  expectedReturnAt(@Root() dossier: Dossier): Date | null {
    return dossier.apologyAppointmentAt ?? dossier.appointmentAt;
  }

  @Authorized('citizen', 'staff')
  @Query(() => Dossier, { nullable: true, description: 'Tra cứu hồ sơ: a dossier by its code (the applicant\'s own, or one of the officer\'s agency)' })
  async dossier(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<Dossier | null> {
    return guardDossier(ctx, await dossierByCode(ctx).load(required(validateDossierCode(code), 'code')));
  }

  @Authorized('citizen', 'staff', 'analyst')
  @Query(() => DossierPage, { description: 'Dossiers, newest first, filtered for an officer\'s inbox or a report' })
  async dossiers(@Args() args: DossierFilterArgs, @Ctx() ctx: RequestContext): Promise<DossierPage> {
    const { skip, take } = pageWindow(args);
    const where: FindOptionsWhere<Dossier> = {};
    if (args.statuses?.length) where.status = In(args.statuses);
    if (args.receivingAgencyCode) where.receivingAgencyCode = args.receivingAgencyCode;
    if (args.handlingAgencyCode) where.handlingAgencyCode = args.handlingAgencyCode;
    if (args.procedureCode) where.procedureCode = required(validateProcedureCode(args.procedureCode), 'procedureCode');
    if (args.receivedFrom || args.receivedTo) {
      const from = args.receivedFrom ?? new Date(0);
      const to = args.receivedTo ?? new Date('9999-12-31T00:00:00Z');
      if (from > to) throw new BadUserInputError('receivedFrom', 'must not be after receivedTo');
      where.receivedAt = Between(from, to);
    }
    const scoped = dossierScope(ctx, where);
    if (!scoped.length) return { items: [], totalCount: 0, offset: skip };
    const [items, totalCount] = await ctx.db
      .getRepository(Dossier)
      .findAndCount({ where: scoped, order: { receivedAt: 'DESC', code: 'DESC' }, skip, take });
    return { items, totalCount, offset: skip };
  }

  @Mutation(() => Dossier, {
    description: 'Receive a dossier at a counter or as an agency system: gives it a code and an appointment (form 01); with handoff details, transfers it to the handling agency in the same step. Citizens register online instead (registerDossierOnline)',
  })
  @Authorized('staff:SERVICE_CENTER')
  @Scope('the receiving unit named in the input is the caller\'s agency')
  submitDossier(@Arg('input') input: SubmitDossierInput, @Ctx() ctx: RequestContext): Promise<Dossier> {
    const identity = ctx.identity;
    if ((identity?.role === 'officer' || identity?.role === 'agency-system') && input.receivingAgencyCode !== identity.agency) {
      throw new BadUserInputError('input.receivingAgencyCode', `must be your own agency (${identity.agency})`);
    }
    const officerId = checkStaffSubmission(ctx, input);
    checkSubmissionDates(input, workingCalendar().localDate(new Date()));
    return receiveDossier(ctx.db, { ...input, officerId, identity: ctx.identity }, new Date(), async (manager, dossier, procedure) => {
      if (dossier.applicantPersonalNumber) ctx.personalData.wrote(dossier.applicantPersonalNumber, 'Dossier.submitDossier');
      const handoff = handoffForSubmission(procedure, input, dossier, officerId, filingOf(ctx, dossier, true));
      if (!handoff) {
        await ctx.handoffs.notify(manager, statusNotification(dossier, dossier.receivedAt, officerId));
        return;
      }
      await sendFromInput(ctx.handoffs, manager, handoff.request, handoff.field);
      await moveDossier(manager, dossier, {
        to: Status.TRANSFERRED, at: new Date(), action: 'TRANSFERRED', agencyCode: dossier.handlingAgencyCode, officerId,
        note: `${handoff.request.messageType} → ${handoff.request.recipient}`,
      }, (n) => ctx.handoffs.notify(manager, n));
    });
  }

  @Mutation(() => Dossier, {
    description: 'Register a dossier online (status 1): numbered at once; an officer of the receiving unit then receives it (form 01, acceptDossier) or refuses it (form 03, refuseIntake). Nothing reaches an agency before that',
  })
  @Authorized('citizen')
  @Scope('the applicant is the caller (no agency)')
  registerDossierOnline(@Arg('input') input: SubmitDossierInput, @Ctx() ctx: RequestContext): Promise<Dossier> {
    requireSelfIfCitizen(ctx.identity, input.applicantPersonalNumber, 'dossiers: applicantPersonalNumber must be your own');
    if (ctx.identity?.role === 'citizen') checkCitizenSubmission(ctx.identity, input);
    checkSubmissionDates(input, workingCalendar().localDate(new Date()));
    const request = { ...input, channel: Channel.ONLINE, officerId: null, identity: ctx.identity };
    return receiveDossier(ctx.db, request, new Date(), async (manager, dossier, procedure) => {
      if (dossier.applicantPersonalNumber) ctx.personalData.wrote(dossier.applicantPersonalNumber, 'Dossier.registerDossierOnline');
      // No actor in the filing: the officer who later receives it (form 01) does not vouch for the applicant's standing.
      const handoff = handoffForSubmission(procedure, input, dossier, null, filingOf(ctx, dossier, false));
      if (handoff) {
        // checked now, sent when received: a payload the contract refuses is the applicant's error today, not a dead letter later
        const check = checkPayload(handoff.request.messageType, contractFor(handoff.request.messageType, 1)?.schemaVersion ?? 1, handoff.request.payload);
        if (!check.ok) throw new BadUserInputError(check.path ? `${handoff.field}.${check.path}` : handoff.field, check.reason);
        dossier.pendingHandoff = JSON.stringify({ request: handoff.request, field: handoff.field });
        await manager.getRepository(Dossier).update({ code: dossier.code }, { pendingHandoff: dossier.pendingHandoff });
      }
      await ctx.handoffs.notify(manager, statusNotification(dossier, dossier.receivedAt, null));
    }, true);
  }

  @Mutation(() => Dossier, { description: 'Form 01: the receiving unit receives an online registration; its appointment counts from now, and it goes to the handling agency' })
  @Authorized('staff')
  @Scope("the dossier's receiving unit")
  acceptDossier(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<Dossier> {
    return ctx.db.transaction(async (manager) => {
      const dossier = await receivingUnitDossier(manager, ctx, code);
      const officerId = officerOf(ctx);
      const pending = dossier.pendingHandoff ? (JSON.parse(dossier.pendingHandoff) as { request: SendRequest; field: string }) : null;
      await acceptDraft(manager, dossier, new Date(), ctx.identity?.agency ?? dossier.receivingAgencyCode, officerId);
      if (!pending) {
        await ctx.handoffs.notify(manager, statusNotification(dossier, dossier.receivedAt, officerId));
        return dossier;
      }
      await sendFromInput(ctx.handoffs, manager, { ...pending.request, officerId }, pending.field);
      return moveDossier(manager, dossier, {
        to: Status.TRANSFERRED, at: new Date(), action: 'TRANSFERRED', agencyCode: dossier.handlingAgencyCode, officerId,
        note: `${pending.request.messageType} → ${pending.request.recipient}`,
      }, (n) => ctx.handoffs.notify(manager, n));
    });
  }

  @Mutation(() => Dossier, { description: 'Form 03: the receiving unit refuses an online registration, with the reason' })
  @Authorized('staff')
  @Scope("the dossier's receiving unit")
  refuseIntake(@Arg('code') code: string, @Arg('reason') reason: string, @Ctx() ctx: RequestContext): Promise<Dossier> {
    if (!reason.trim() || reason.length > 400) throw new BadUserInputError('reason', 'from 1 to 400 characters');
    return ctx.db.transaction(async (manager) => {
      const dossier = await receivingUnitDossier(manager, ctx, code);
      return moveDossier(manager, dossier, {
        to: Status.INTAKE_REJECTED, at: new Date(), action: 'INTAKE_REJECTED', agencyCode: ctx.identity?.agency ?? null,
        officerId: officerOf(ctx),
        note: `Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03): ${reason.trim()}`,
      }, (n) => ctx.handoffs.notify(manager, n));
    });
  }

  @FieldResolver(() => Procedure, { nullable: true })
  procedure(@Root() dossier: Dossier, @Ctx() ctx: RequestContext): Promise<Procedure | null> {
    return procedureByCode(ctx).load(dossier.procedureCode);
  }

  @FieldResolver(() => Agency, { nullable: true })
  receivingAgency(@Root() dossier: Dossier, @Ctx() ctx: RequestContext): Promise<Agency | null> {
    return agencyByCode(ctx).load(dossier.receivingAgencyCode);
  }

  @FieldResolver(() => Agency, { nullable: true })
  handlingAgency(@Root() dossier: Dossier, @Ctx() ctx: RequestContext): Promise<Agency | null> {
    return agencyByCode(ctx).load(dossier.handlingAgencyCode);
  }

  @FieldResolver(() => CitizenRef, { nullable: true, description: 'The applicant, when a person' })
  @PersonalData<Dossier>({ subject: (d) => d.applicantPersonalNumber })
  applicant(@Root() dossier: Dossier): CitizenRef | null {
    return dossier.applicantPersonalNumber ? { personalNumber: dossier.applicantPersonalNumber } : null;
  }

  @FieldResolver(() => EnterpriseRef, { nullable: true, description: 'The applicant, when an enterprise' })
  applicantEnterprise(@Root() dossier: Dossier): EnterpriseRef | null {
    return dossier.applicantEnterpriseCode ? { enterpriseCode: dossier.applicantEnterpriseCode } : null;
  }

  @FieldResolver(() => [DossierEvent], { description: 'Every step, oldest first' })
  timeline(@Root() dossier: Dossier, @Ctx() ctx: RequestContext): Promise<DossierEvent[]> {
    return eventsByDossier(ctx).load(dossier.code);
  }

  @FieldResolver(() => Boolean, { description: 'Still open past its appointment' })
  isOverdue(@Root() dossier: Dossier): boolean {
    return !FINISHED_STATUSES.has(dossier.status) && dossier.appointmentAt !== null && dossier.appointmentAt < new Date();
  }
}

@Resolver(() => CitizenRef)
export class CitizenDossiersResolver {
  @Authorized('citizen', 'staff', 'analyst')
  @FieldResolver(() => DossierPage, { description: 'Dossiers this person filed, newest first (staff: those of their agency)' })
  async dossiers(@Root() citizen: CitizenRef, @Args() page: PageArgs, @Ctx() ctx: RequestContext): Promise<DossierPage> {
    requireSelfIfCitizen(ctx.identity, citizen.personalNumber, 'dossiers');
    if (isMaskedIdentifier(citizen.personalNumber)) return pageOf([], page);
    const dossiers = await dossiersByApplicant(ctx, 'applicantPersonalNumber').load(citizen.personalNumber);
    return pageOf(dossiers.filter((dossier) => mayReadDossier(ctx, dossier)), page);
  }
}

@Resolver(() => EnterpriseRef)
export class EnterpriseDossiersResolver {
  @Authorized('staff', 'analyst')
  @FieldResolver(() => DossierPage, { description: 'Dossiers this enterprise filed, newest first (staff: those of their agency)' })
  async dossiers(@Root() enterprise: EnterpriseRef, @Args() page: PageArgs, @Ctx() ctx: RequestContext): Promise<DossierPage> {
    const dossiers = await dossiersByApplicant(ctx, 'applicantEnterpriseCode').load(enterprise.enterpriseCode);
    return pageOf(dossiers.filter((dossier) => mayReadDossier(ctx, dossier)), page);
  }
}

/** The dossier under a row lock, if the caller works at its receiving unit (or is an admin). */
async function receivingUnitDossier(manager: EntityManager, ctx: RequestContext, code: string): Promise<Dossier> {
  const dossier = await manager.getRepository(Dossier).findOne({ where: { code: required(validateDossierCode(code), 'code') }, lock: rowLock(manager) });
  if (!dossier || !mayReadDossier(ctx, dossier)) throw new NotFoundError('Dossier', code);
  requireAgencyScope(ctx, { agencies: [dossier.receivingAgencyCode] }, `Dossier ${dossier.code}`);
  return dossier;
}
