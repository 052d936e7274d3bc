import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Like } from 'typeorm';
import {
  BadUserInputError, PageArgs, PageOf, pageWindow, RequestContext, required, validatePersonalNumber,
} from '@onestop/platform';
import { Citizen } from '../entities/citizen';
import { CivilStatusRecord } from '../entities/civil-status-record';
import { citizenByNumber, recordsByPerson } from '../loaders';

const CitizenPage = PageOf(Citizen, 'CitizenPage');
type CitizenPage = InstanceType<typeof CitizenPage>;

@ArgsType()
class CitizenFilterArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Administrative unit code of the commune of residence' })
  residenceCommuneCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Start of the full name, with diacritics (e.g. "Nguyễn Văn")' })
  nameStartsWith?: string | null;
}

@Resolver(() => Citizen)
export class CitizenResolver {
  @Query(() => Citizen, { nullable: true, description: 'A citizen by personal number; null when not registered here' })
  async citizen(@Arg('personalNumber') personalNumber: string, @Ctx() ctx: RequestContext): Promise<Citizen | null> {
    return citizenByNumber(ctx).load(required(validatePersonalNumber(personalNumber), 'personalNumber'));
  }

  @Query(() => CitizenPage, { description: 'Citizens, by residence commune and/or name prefix, in name order' })
  async citizens(@Args() args: CitizenFilterArgs, @Ctx() ctx: RequestContext): Promise<CitizenPage> {
    const { skip, take } = pageWindow(args);
    const where: Record<string, unknown> = {};
    if (args.residenceCommuneCode) {
      if (!/^\d{5}$/.test(args.residenceCommuneCode)) throw new BadUserInputError('residenceCommuneCode', 'must be 5 digits');
      where.residenceCommuneCode = args.residenceCommuneCode;
    }
    if (args.nameStartsWith) {
      if (args.nameStartsWith.length > 120) throw new BadUserInputError('nameStartsWith', 'at most 120 characters');
      where.fullName = Like(`${args.nameStartsWith.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    }
    const [items, totalCount] = await ctx.db
      .getRepository(Citizen)
      .findAndCount({ where, order: { fullName: 'ASC', personalNumber: 'ASC' }, skip, take });
    return { items, totalCount, offset: skip };
  }

  @FieldResolver(() => Citizen, { nullable: true })
  father(@Root() citizen: Citizen, @Ctx() ctx: RequestContext): Promise<Citizen | null> | null {
    return citizen.fatherPersonalNumber ? citizenByNumber(ctx).load(citizen.fatherPersonalNumber) : null;
  }

  @FieldResolver(() => Citizen, { nullable: true })
  mother(@Root() citizen: Citizen, @Ctx() ctx: RequestContext): Promise<Citizen | null> | null {
    return citizen.motherPersonalNumber ? citizenByNumber(ctx).load(citizen.motherPersonalNumber) : null;
  }

  @FieldResolver(() => Boolean)
  isAlive(@Root() citizen: Citizen): boolean {
    return !citizen.deathDate;
  }

  @FieldResolver(() => [CivilStatusRecord], { description: 'Birth, marriage and death entries about this person' })
  civilStatusRecords(@Root() citizen: Citizen, @Ctx() ctx: RequestContext): Promise<CivilStatusRecord[]> {
    return recordsByPerson(ctx).load(citizen.personalNumber);
  }
}

export { CitizenPage };
