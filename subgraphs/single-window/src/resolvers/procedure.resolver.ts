import { Authorized, Arg, Args, ArgsType, Ctx, Field, Query, Resolver } from 'type-graphql';
import { Like } from 'typeorm';
import { BadUserInputError, PageArgs, PageOf, pageWindow, RequestContext, required, validateProcedureCode } from '@onestop/platform';
import { AdministrativeLevel } from '../entities/administrative-unit';
import { AgencySector } from '../entities/agency';
import { Procedure } from '../entities/procedure';
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
}
