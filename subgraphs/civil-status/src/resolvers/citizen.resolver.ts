import { Authorized, Arg, Args, ArgsType, Ctx, Field, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Like } from 'typeorm';
import {
  BadUserInputError, ForbiddenError, PageArgs, PageOf, pageOf, pageWindow, PersonalData, RequestContext, required, requireSelfIfCitizen,
  validatePersonalNumber,
} from '@onestop/platform';
import { Citizen } from '../entities/citizen';
import { CivilStatusRecord } from '../entities/civil-status-record';
import { citizenByNumber, recordsByPerson } from '../loaders';

const CitizenPage = PageOf(Citizen, 'CitizenPage');
type CitizenPage = InstanceType<typeof CitizenPage>;
const CivilStatusRecordPage = PageOf(CivilStatusRecord, 'CivilStatusRecordPage');
type CivilStatusRecordPage = InstanceType<typeof CivilStatusRecordPage>;

@ArgsType()
class CitizenFilterArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Administrative unit code of the commune of residence' })
  residenceCommuneCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Start of the full name, with diacritics (e.g. "Nguyễn Văn")' })
  nameStartsWith?: string | null;
}

@Resolver(() => Citizen)
export class CitizenResolver {
  @Authorized('citizen', 'staff')
  @Query(() => Citizen, { nullable: true, description: 'A citizen by personal number; null when not registered here' })
  async citizen(@Arg('personalNumber') personalNumber: string, @Ctx() ctx: RequestContext): Promise<Citizen | null> {
    const number = required(validatePersonalNumber(personalNumber), 'personalNumber');
    requireSelfIfCitizen(ctx.identity, number, 'civil status');
    return citizenByNumber(ctx).load(number);
  }

  @Authorized('staff:CIVIL_STATUS', 'analyst')
  @Query(() => CitizenPage, { description: 'Citizens, by residence commune and/or name prefix, in name order' })
  async citizens(@Args() args: CitizenFilterArgs, @Ctx() ctx: RequestContext): Promise<CitizenPage> {
    const { skip, take } = pageWindow(args);
    const where: Record<string, unknown> = {};
    if (args.residenceCommuneCode) {
      if (!/^\d{5}$/.test(args.residenceCommuneCode)) throw new BadUserInputError('residenceCommuneCode', 'must be 5 digits');
      where.residenceCommuneCode = args.residenceCommuneCode;
    }
    if (args.nameStartsWith) {
      if (ctx.identity?.role === 'analyst') throw new ForbiddenError('Analysts may not search citizens by name', { role: 'analyst' });
      if (args.nameStartsWith.length > 120) throw new BadUserInputError('nameStartsWith', 'at most 120 characters');
      where.fullName = Like(`${args.nameStartsWith.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    }
    const [items, totalCount] = await ctx.db
      .getRepository(Citizen)
      .findAndCount({ where, order: { fullName: 'ASC', personalNumber: 'ASC' }, skip, take });
    return { items, totalCount, offset: skip };
  }

  @PersonalData<Citizen>({ subject: (c) => c.personalNumber, mask: 'hidden' })
  @FieldResolver(() => Citizen, { nullable: true })
  father(@Root() citizen: Citizen, @Ctx() ctx: RequestContext): Promise<Citizen | null> | null {
    return citizen.fatherPersonalNumber ? citizenByNumber(ctx).load(citizen.fatherPersonalNumber) : null;
  }

  @PersonalData<Citizen>({ subject: (c) => c.personalNumber, mask: 'hidden' })
  @FieldResolver(() => Citizen, { nullable: true })
  mother(@Root() citizen: Citizen, @Ctx() ctx: RequestContext): Promise<Citizen | null> | null {
    return citizen.motherPersonalNumber ? citizenByNumber(ctx).load(citizen.motherPersonalNumber) : null;
  }

  @FieldResolver(() => Boolean)
  isAlive(@Root() citizen: Citizen): boolean {
    return !citizen.deathDate;
  }

  @Authorized('citizen', 'staff:CIVIL_STATUS', 'analyst')
  @FieldResolver(() => CivilStatusRecordPage, { description: 'Birth, marriage and death entries about this person' })
  async civilStatusRecords(@Root() citizen: Citizen, @Args() page: PageArgs, @Ctx() ctx: RequestContext): Promise<CivilStatusRecordPage> {
    requireSelfIfCitizen(ctx.identity, citizen.personalNumber, 'civil status records');
    if (ctx.identity?.role === 'analyst') return pageOf([], page);
    return pageOf(await recordsByPerson(ctx).load(citizen.personalNumber), page);
  }
}

export { CitizenPage };
