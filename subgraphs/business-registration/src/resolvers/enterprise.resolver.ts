import { Authorized, Arg, Args, ArgsType, Ctx, Field, FieldResolver, Query, Resolver, Root, Directive } from 'type-graphql';
import { FindOptionsWhere, In, Like } from 'typeorm';
import {
  BadUserInputError, byKey, ForbiddenError, PageArgs, PageOf, pageOf, pageWindow, RequestContext, required, validateEnterpriseCode, PersonalData, mayFollowCitizen, rowsByKeys,
} from '@onestop/platform';
import { EnterpriseRegistration } from '../entities/enterprise-registration';
import { BusinessLine } from '../entities/business-line';
import { Enterprise, EnterpriseStatus } from '../entities/enterprise';
import { CitizenRef, DossierRef } from '../entities/references';
import { businessLinesByEnterprise, enterpriseByCode, enterprisesBy } from '../loaders';

const EnterprisePage = PageOf(Enterprise, 'EnterprisePage');
type EnterprisePage = InstanceType<typeof EnterprisePage>;

@ArgsType()
class EnterpriseFilterArgs extends PageArgs {
  @Field(() => EnterpriseStatus, { nullable: true })
  status?: EnterpriseStatus | null;

  @Field(() => String, { nullable: true })
  headOfficeCommuneCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Enterprises registered for this VSIC code' })
  vsicCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the name, with diacritics' })
  nameContains?: string | null;
}

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Authorized('public')
  @Query(() => Enterprise, { nullable: true, description: 'An enterprise by enterprise code (= tax code); null when not registered' })
  enterprise(@Arg('enterpriseCode') enterpriseCode: string, @Ctx() ctx: RequestContext): Promise<Enterprise | null> {
    return enterpriseByCode(ctx).load(required(validateEnterpriseCode(enterpriseCode), 'enterpriseCode'));
  }

  @Authorized('public')
  @Query(() => EnterprisePage, { description: 'The business register, in name order' })
  async enterprises(@Args() args: EnterpriseFilterArgs, @Ctx() ctx: RequestContext): Promise<EnterprisePage> {
    const { skip, take } = pageWindow(args);
    const where: FindOptionsWhere<Enterprise> = {};
    if (args.status) where.status = args.status;
    if (args.headOfficeCommuneCode) {
      if (!/^\d{5}$/.test(args.headOfficeCommuneCode)) throw new BadUserInputError('headOfficeCommuneCode', 'must be 5 digits');
      where.headOfficeCommuneCode = args.headOfficeCommuneCode;
    }
    if (args.nameContains) {
      if (args.nameContains.length > 200) throw new BadUserInputError('nameContains', 'at most 200 characters');
      where.name = Like(`%${args.nameContains.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    }
    if (args.vsicCode) {
      if (!/^\d{4,5}$/.test(args.vsicCode)) throw new BadUserInputError('vsicCode', 'must be a VSIC code of 4 or 5 digits');
      const lines = await ctx.db.getRepository(BusinessLine).find({ where: { vsicCode: args.vsicCode }, select: { enterpriseCode: true } });
      where.enterpriseCode = In([...new Set(lines.map((l) => l.enterpriseCode))]);
    }
    const [items, totalCount] = await ctx.db
      .getRepository(Enterprise)
      .findAndCount({ where, order: { name: 'ASC', enterpriseCode: 'ASC' }, skip, take });
    return { items, totalCount, offset: skip };
  }

  @FieldResolver(() => CitizenRef, { description: 'Người đại diện theo pháp luật' })
  @PersonalData<Enterprise>({ subject: (e) => e.legalRepresentativePersonalNumber })
  legalRepresentative(@Root() enterprise: Enterprise): CitizenRef {
    return { personalNumber: enterprise.legalRepresentativePersonalNumber };
  }

  // cost analysis: at most about this many items (gateway's @listSize; a list without a hint counts 20)
  @Directive('@listSize(assumedSize: 10)')
  @FieldResolver(() => [BusinessLine], { description: 'Main line first' })
  businessLines(@Root() enterprise: Enterprise, @Ctx() ctx: RequestContext): Promise<BusinessLine[]> {
    return businessLinesByEnterprise(ctx).load(enterprise.enterpriseCode);
  }

  @FieldResolver(() => EnterprisePage, { description: 'Dependent units (chi nhánh, văn phòng đại diện)' })
  async branches(@Root() enterprise: Enterprise, @Args() page: PageArgs, @Ctx() ctx: RequestContext): Promise<EnterprisePage> {
    return pageOf(await enterprisesBy(ctx, 'parentEnterpriseCode').load(enterprise.enterpriseCode), page);
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: 'The enterprise a dependent unit belongs to' })
  parent(@Root() enterprise: Enterprise, @Ctx() ctx: RequestContext): Promise<Enterprise | null> | null {
    return enterprise.parentEnterpriseCode ? enterpriseByCode(ctx).load(enterprise.parentEnterpriseCode) : null;
  }

  @FieldResolver(() => Boolean)
  isBranch(@Root() enterprise: Enterprise): boolean {
    return enterprise.parentEnterpriseCode !== null;
  }
}

@Resolver(() => CitizenRef)
export class CitizenEnterprisesResolver {
  @Authorized('citizen', 'staff', 'analyst')
  @FieldResolver(() => EnterprisePage, { description: 'Enterprises this person legally represents' })
  async enterprises(@Root() citizen: CitizenRef, @Args() page: PageArgs, @Ctx() ctx: RequestContext): Promise<EnterprisePage> {
    if (!mayFollowCitizen(ctx.identity, citizen.personalNumber, 'enterprises')) return pageOf([], page);
    return pageOf(await enterprisesBy(ctx, 'legalRepresentativePersonalNumber').load(citizen.personalNumber), page);
  }
}

@Resolver(() => DossierRef)
export class DossierEnterpriseResolver {
  @FieldResolver(() => Enterprise, { nullable: true, description: 'The enterprise registered through this dossier' })
  async registeredEnterprise(@Root() dossier: DossierRef, @Ctx() ctx: RequestContext): Promise<Enterprise | null> {
    const found = await enterprisesBy(ctx, 'registrationDossierCode').load(dossier.code);
    return found[0] ?? null;
  }
}

@Resolver(() => DossierRef)
export class DossierEnterpriseRegistrationResolver {
  // Guarded here, not only by single-window's dossier: `_entities` may name any dossier code. Staff of the sector; a
  // citizen only as the dossier's applicant.
  @Authorized('citizen', 'staff:BUSINESS_REGISTRATION', 'analyst')
  @FieldResolver(() => EnterpriseRegistration, { nullable: true, description: 'The enterprise founding application of this dossier' })
  async enterpriseRegistration(@Root() dossier: DossierRef, @Ctx() ctx: RequestContext): Promise<EnterpriseRegistration | null> {
    const registration = await ctx.loader<string, EnterpriseRegistration | null>('registrationByDossier', async (codes) =>
      byKey(codes, await rowsByKeys(ctx.db, EnterpriseRegistration, { key: 'dossierCode', keys: codes }), (r) => r.dossierCode),
    ).load(dossier.code);
    const identity = ctx.identity;
    if (registration && !ctx.securityOff && identity?.role === 'citizen' && registration.applicantPersonalNumber !== identity.subject) {
      throw new ForbiddenError('A citizen may only read the enterprise registration of their own dossiers', { role: 'citizen' });
    }
    return registration;
  }
}
