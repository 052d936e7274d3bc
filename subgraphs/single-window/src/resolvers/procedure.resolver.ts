import { Authorized, Arg, Args, ArgsType, Ctx, Field, Float, InputType, Mutation, Query, Resolver } from 'type-graphql';
import { Like } from 'typeorm';
import { BadUserInputError, NotFoundError, PageArgs, PageOf, pageWindow, RequestContext, required, requireAgencyScope, Scope, validateProcedureCode } from '@onestop/platform';
import { AdministrativeLevel } from '../entities/administrative-unit';
import { AgencySector } from '../entities/agency';
import { OnlineService, Procedure, ResultForm } from '../entities/procedure';
import { catalogueNotification } from '../notifications';
import { officerOf, provincialServiceCenters } from '../access';
import { procedureByCode } from '../loaders';

const ProcedurePage = PageOf(Procedure, 'ProcedurePage');
type ProcedurePage = InstanceType<typeof ProcedurePage>;

@ArgsType()
class ProcedureFilterArgs extends PageArgs {
  @Field(() => AgencySector, { nullable: true })
  handlingSector?: AgencySector | null;

  @Field(() => AdministrativeLevel, { nullable: true })
  level?: AdministrativeLevel | null;

  @Field(() => String, { nullable: true, description: 'Part of the procedure name, with diacritics' })
  nameContains?: string | null;
}

@InputType({ description: 'What a decision publishing the catalogue changes in one entry; fields left out stay as they are' })
class ProcedureChange {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Float, { nullable: true, description: 'Working days, in half days' })
  processingDays?: number | null;

  @Field(() => Float, { nullable: true, description: 'Đồng, a whole number; 0 when free' })
  feeAmount?: number | null;

  @Field(() => OnlineService, { nullable: true })
  onlineService?: OnlineService | null;

  @Field(() => ResultForm, { nullable: true })
  resultForm?: ResultForm | null;

  @Field(() => Boolean, { nullable: true, description: 'false takes it out of the catalogue (no new dossiers)' })
  active?: boolean | null;
}

/** The change as columns, or BAD_USER_INPUT naming the field. */
function catalogueChange(change: ProcedureChange): Partial<Procedure> {
  const update: Partial<Procedure> = {};
  if (change.name != null) {
    const name = change.name.trim();
    if (!name || name.length > 500) throw new BadUserInputError('change.name', 'from 1 to 500 characters');
    update.name = name;
  }
  if (change.processingDays != null) {
    const days = change.processingDays;
    if (!Number.isFinite(days) || days < 0 || days > 9999.5 || Math.round(days * 2) !== days * 2) {
      throw new BadUserInputError('change.processingDays', 'working days from 0 to 9999.5, in half days');
    }
    update.processingDays = days;
  }
  if (change.feeAmount != null) {
    if (!Number.isSafeInteger(change.feeAmount) || change.feeAmount < 0) throw new BadUserInputError('change.feeAmount', 'whole đồng, 0 or more');
    update.feeAmount = change.feeAmount;
  }
  if (change.onlineService != null) update.onlineService = change.onlineService;
  if (change.resultForm != null) update.resultForm = change.resultForm;
  if (change.active != null) update.active = change.active;
  if (!Object.keys(update).length) throw new BadUserInputError('change', 'nothing to change');
  return update;
}

@Resolver(() => Procedure)
export class ProcedureResolver {
  @Authorized('public')
  @Query(() => Procedure, { nullable: true })
  procedure(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<Procedure | null> {
    return procedureByCode(ctx).load(required(validateProcedureCode(code), 'code'));
  }

  @Authorized('public')
  @Query(() => ProcedurePage, { description: 'The procedure catalogue (danh mục thủ tục hành chính)' })
  async procedures(@Args() args: ProcedureFilterArgs, @Ctx() ctx: RequestContext): Promise<ProcedurePage> {
    const { skip, take } = pageWindow(args);
    if (args.nameContains && args.nameContains.length > 200) throw new BadUserInputError('nameContains', 'at most 200 characters');
    const where = {
      active: true,
      ...(args.handlingSector ? { handlingSector: args.handlingSector } : {}),
      ...(args.level ? { level: args.level } : {}),
      ...(args.nameContains ? { name: Like(`%${args.nameContains.replace(/[%_\\]/g, (c) => `\\${c}`)}%`) } : {}),
    };
    const [items, totalCount] = await ctx.db.getRepository(Procedure).findAndCount({ where, order: { code: 'ASC' }, skip, take });
    return { items, totalCount, offset: skip };
  }

  @Authorized('officer:SERVICE_CENTER')
  @Scope("the province's service center (it publishes the catalogue)")
  @Mutation(() => Procedure, {
    description: 'Công bố danh mục TTHC: changes one catalogue entry (new dossiers use it); portals see it at once, the gateway drops its cached catalogue answers',
  })
  async updateProcedure(@Arg('code') code: string, @Arg('change') change: ProcedureChange, @Ctx() ctx: RequestContext): Promise<Procedure> {
    const procedureCode = required(validateProcedureCode(code), 'code');
    const update = catalogueChange(change);
    return ctx.db.manager.transaction(async (manager) => {
      requireAgencyScope(ctx, { agencies: await provincialServiceCenters(manager) }, 'The procedure catalogue');
      const procedure = await manager.getRepository(Procedure).findOneBy({ code: procedureCode });
      if (!procedure) throw new NotFoundError('Procedure', procedureCode);
      Object.assign(procedure, update);
      await manager.getRepository(Procedure).save(procedure);
      await ctx.handoffs.notify(manager, catalogueNotification(procedure.code, new Date(), officerOf(ctx)));
      return procedure;
    });
  }
}
