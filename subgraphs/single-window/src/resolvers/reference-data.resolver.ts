import { Authorized, Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { IsNull, LessThanOrEqual, MoreThan } from 'typeorm';
import { BadUserInputError, RequestContext } from '@onestop/platform';
import { AdministrativeLevel, AdministrativeUnit } from '../entities/administrative-unit';
import { Agency, AgencySector } from '../entities/agency';
import { unitByCode, unitsByParent } from '../loaders';

function checkDate(value: string | null | undefined, field: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw new BadUserInputError(field, 'must be a date YYYY-MM-DD');
  return value;
}

function validOn(unit: AdministrativeUnit, day: string): boolean {
  return unit.validFrom <= day && (unit.validTo === null || unit.validTo > day);
}

@Resolver(() => AdministrativeUnit)
export class AdministrativeUnitResolver {
  @Authorized('public')
  @Query(() => AdministrativeUnit, { nullable: true })
  administrativeUnit(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<AdministrativeUnit | null> {
    if (!/^\d{2,5}$/.test(code)) throw new BadUserInputError('code', 'must be 2 to 5 digits');
    return unitByCode(ctx).load(code);
  }

  @Authorized('public')
  @Query(() => [AdministrativeUnit], { description: 'Units in force on a date (default: today), by level and parent' })
  administrativeUnits(
    @Ctx() ctx: RequestContext,
    @Arg('level', () => AdministrativeLevel, { nullable: true }) level?: AdministrativeLevel,
    @Arg('parentCode', () => String, { nullable: true }) parentCode?: string,
    @Arg('asOf', () => String, { nullable: true, description: 'YYYY-MM-DD' }) asOf?: string,
  ): Promise<AdministrativeUnit[]> {
    const day = checkDate(asOf, 'asOf') ?? new Date().toISOString().slice(0, 10);
    const base = { validFrom: LessThanOrEqual(day), ...(level ? { level } : {}), ...(parentCode ? { parentCode } : {}) };
    return ctx.db.getRepository(AdministrativeUnit).find({
      where: [{ ...base, validTo: IsNull() }, { ...base, validTo: MoreThan(day) }],
      order: { code: 'ASC' },
    });
  }

  @FieldResolver(() => AdministrativeUnit, { nullable: true })
  parent(@Root() unit: AdministrativeUnit, @Ctx() ctx: RequestContext): Promise<AdministrativeUnit | null> | null {
    return unit.parentCode ? unitByCode(ctx).load(unit.parentCode) : null;
  }

  @FieldResolver(() => [AdministrativeUnit], { description: 'Units directly under this one, in force on asOf (default: any time)' })
  async children(
    @Root() unit: AdministrativeUnit,
    @Ctx() ctx: RequestContext,
    @Arg('asOf', () => String, { nullable: true }) asOf?: string,
  ): Promise<AdministrativeUnit[]> {
    const day = checkDate(asOf, 'asOf');
    const all = await unitsByParent(ctx).load(unit.code);
    return day ? all.filter((u) => validOn(u, day)) : all;
  }

  @FieldResolver(() => AdministrativeUnit, { nullable: true })
  successor(@Root() unit: AdministrativeUnit, @Ctx() ctx: RequestContext): Promise<AdministrativeUnit | null> | null {
    return unit.successorCode ? unitByCode(ctx).load(unit.successorCode) : null;
  }
}

@Resolver(() => Agency)
export class AgencyResolver {
  @Authorized('public')
  @Query(() => [Agency])
  agencies(
    @Ctx() ctx: RequestContext,
    @Arg('sector', () => AgencySector, { nullable: true }) sector?: AgencySector,
    @Arg('receivesDossiers', () => Boolean, { nullable: true }) receivesDossiers?: boolean,
  ): Promise<Agency[]> {
    return ctx.db.getRepository(Agency).find({
      where: { ...(sector ? { sector } : {}), ...(receivesDossiers !== undefined && receivesDossiers !== null ? { receivesDossiers } : {}) },
      order: { code: 'ASC' },
    });
  }

  @FieldResolver(() => AdministrativeUnit, { nullable: true })
  administrativeUnit(@Root() agency: Agency, @Ctx() ctx: RequestContext): Promise<AdministrativeUnit | null> {
    return unitByCode(ctx).load(agency.administrativeUnitCode);
  }
}
