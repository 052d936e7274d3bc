import { GraphQLNonNull, GraphQLResolveInfo } from 'graphql';
import { Args, Authorized, Directive, NextFn, ResolverData, UseMiddleware, Ctx, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { Column, DataSource, Entity, EntityManager, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Identity } from './identity';
import { describeIdentity } from './identity';
import { pseudonym, PSEUDONYM_PREFIX } from './pseudonym';
import { fastInsert } from '../handoffs/fast-insert';
import { ForbiddenError, UnauthenticatedError, allows, requireSelfIfCitizen } from './access';
import { camelCase } from '../naming';
import { Page, PageArgs, pageWindow } from '../pagination';

/**
 * Personal data access log (Decree 13/2023): one row per citizen per request per agency, naming the fields read or
 * written, who did it (role, agency, subject) and the request id that ties it to the gateway's and subgraphs' logs.
 */
@ObjectType({ description: 'One access to a citizen\'s personal data, as recorded by the agency that served it' })
@Directive('@shareable')
@Entity('personal_data_access')
@Index('IDX_personal_data_access_subject_at', ['subject', 'at'])
export class PersonalDataAccess {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** The citizen whose data it was. */
  @Column({ type: 'varchar', length: 12 })
  subject: string;

  @Field({ description: 'The agency system that served the data (the subgraph)' })
  @Column({ type: 'varchar', length: 40 })
  recordedBy: string;

  @Field({ description: 'read or write' })
  @Column({ type: 'varchar', length: 5 })
  action: string;

  @Field({ description: 'citizen, officer, agency-system, analyst or admin' })
  @Column({ type: 'varchar', length: 16 })
  accessorRole: string;

  @Field(() => String, { nullable: true, description: 'The accessor\'s agency code, for officers and agency systems' })
  @Column({ type: 'varchar', length: 40, nullable: true })
  accessorAgency: string | null;

  @Field({ description: 'The accessor\'s id (officer id, client id, or the citizen\'s own number)' })
  @Column({ type: 'varchar', length: 64 })
  accessor: string;

  @Field({ description: 'Type.field names, comma-separated' })
  @Column({ type: 'varchar', length: 500 })
  fields: string;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  requestId: string;

  @Field()
  @Column({ type: 'datetime' })
  at: Date;
}

/** Collects what a request touched; flushed as one multi-row insert when the response is sent. */
export class PersonalDataRecorder {
  private readonly touched = new Map<string, Set<string>>();

  constructor(private readonly identity: Identity | null, private readonly requestId: string) {}

  read(subject: string, field: string): void {
    this.add(`read|${subject}`, field);
  }

  wrote(subject: string, what: string): void {
    this.add(`write|${subject}`, what);
  }

  private add(key: string, field: string): void {
    let fields = this.touched.get(key);
    if (!fields) this.touched.set(key, (fields = new Set()));
    fields.add(field);
  }

  get size(): number {
    return this.touched.size;
  }

  rows(member: string, at = new Date()): Partial<PersonalDataAccess>[] {
    const identity = this.identity;
    return [...this.touched].map(([key, fields]) => {
      const [action, subject] = key.split('|');
      return {
        subject, recordedBy: member, action,
        accessorRole: identity?.role ?? 'anonymous', accessorAgency: identity?.agency ?? null,
        accessor: (identity?.subject ?? 'anonymous').slice(0, 64),
        fields: [...fields].sort().join(',').slice(0, 500), requestId: this.requestId.slice(0, 64), at,
      };
    });
  }

  async flush(manager: EntityManager, member: string): Promise<void> {
    if (!this.touched.size) return;
    const rows = this.rows(member);
    this.touched.clear();
    await fastInsert(manager, PersonalDataAccess, rows);
  }
}

export type MaskKind = 'identifier' | 'name' | 'text' | 'date' | 'hidden';

export interface PersonalDataOptions<T> {
  /** The citizen the value belongs to (a personal number), from the parent object. */
  subject: (parent: T) => string | null | undefined;
  /** How analysts see it: identifiers as a keyed pseudonym (*F-kqbm…), names and text as ***, dates by year (1990-**-**), hidden as null. Default identifier. */
  mask?: MaskKind;
  /** Rules of who besides the citizen themself may read it (see allows()); default any officer, agency system, analyst (masked), admin. */
  readers?: string[];
}

export interface PersonalDataContext {
  identity: Identity | null;
  personalData: PersonalDataRecorder;
  securityOff?: boolean;
}

const DEFAULT_READERS = ['staff', 'analyst'];

/** Names reveal nothing (initials narrow a search down to a few people). */
export function maskName(_value: string): string {
  return '***';
}

function masked(value: unknown, kind: MaskKind, info: GraphQLResolveInfo): unknown {
  if (value === null || value === undefined) return value;
  if (kind === 'identifier' && typeof value === 'string') return pseudonym(value);
  // A reference to a citizen (an entity stub): its key is masked, so nothing about them resolves elsewhere.
  if (kind === 'identifier' && typeof value === 'object' && typeof (value as { personalNumber?: unknown }).personalNumber === 'string') {
    return { ...(value as object), personalNumber: pseudonym((value as { personalNumber: string }).personalNumber) };
  }
  if (kind === 'name' && typeof value === 'string') return maskName(value);
  if (kind === 'date' && typeof value === 'string') return `${value.slice(0, 4)}-**-**`;
  if (kind === 'text' && typeof value === 'string') return '***';
  if (info.returnType instanceof GraphQLNonNull) {
    throw new ForbiddenError(`${info.parentType.name}.${info.fieldName} is personal data, not available to analysts`, { role: 'analyst' });
  }
  return null;
}

/**
 * A field that says where a person's property is (a parcel's id, map sheet, number, street address, a certificate
 * number): not personal data by itself, but next to a holder's pseudonym it ties the pseudonym to a place. Analysts
 * get it masked (`text` as ***, `hidden` as null); everyone else by the field's other rules.
 */
export function LocatesProperty(kind: 'text' | 'hidden' = 'text'): MethodDecorator & PropertyDecorator {
  return UseMiddleware(async ({ context, info }: ResolverData<PersonalDataContext>, next: NextFn) => {
    const value = await next();
    return !context.securityOff && context.identity?.role === 'analyst' ? masked(value, kind, info) : value;
  });
}

/** A masked identifier (an analyst's pseudonym) never matches a record. */
export function isMaskedIdentifier(value: string | null | undefined): boolean {
  return typeof value === 'string' && (value.startsWith(PSEUDONYM_PREFIX) || value.includes('*'));
}

/**
 * Marks a field as a citizen's personal data: a citizen reads only their own, the readers' rules decide for staff,
 * analysts get it masked, anonymous callers are refused; every unmasked read is recorded for the access log.
 */
export function PersonalData<T = unknown>(options: PersonalDataOptions<T>): MethodDecorator & PropertyDecorator {
  const kind = options.mask ?? 'identifier';
  const readers = options.readers ?? DEFAULT_READERS;
  return UseMiddleware(async ({ root, context, info }: ResolverData<PersonalDataContext>, next: NextFn) => {
    if (context.securityOff) return next();
    const identity = context.identity;
    if (!identity) throw new UnauthenticatedError(`Sign in to read ${info.parentType.name}.${info.fieldName}`);
    const subject = options.subject(root as T);
    if (identity.role === 'citizen') {
      requireSelfIfCitizen(identity, subject, 'personal data');
    } else if (identity.role === 'analyst') {
      return masked(await next(), kind, info);
    } else if (!readers.some((rule) => allows(identity, rule === 'staff' ? 'staff' : rule))) {
      throw new ForbiddenError(`${describeIdentity(identity)} may not read ${info.parentType.name}.${info.fieldName}`, { role: identity.role });
    }
    const value = await next();
    if (subject && value !== null && value !== undefined) context.personalData.read(subject, `${info.parentType.name}.${info.fieldName}`);
    return value;
  });
}

export function personalDataLogFieldName(member: string): string {
  return `${camelCase(member)}PersonalDataAccessLog`;
}

/** A page of the accesses to each subject's data, newest first: one indexed read (subject, at) per subject. */
export async function personalDataAccessesOf(db: DataSource, subjects: readonly string[], window: { skip: number; take: number }): Promise<Page<PersonalDataAccess>[]> {
  const repository = db.getRepository(PersonalDataAccess);
  return Promise.all(subjects.map(async (subject) => {
    const [items, totalCount] = await repository.findAndCount({ where: { subject }, order: { at: 'DESC', id: 'DESC' }, ...window });
    return { items, totalCount, offset: window.skip };
  }));
}

/** One page of a citizen's access log (the same type in every subgraph, hence shareable). */
@ObjectType({ description: 'A page of accesses to a citizen\'s personal data' })
@Directive('@shareable')
export class PersonalDataAccessPage implements Page<PersonalDataAccess> {
  @Field(() => [PersonalDataAccess])
  items: PersonalDataAccess[];

  @Field(() => Int)
  totalCount: number;

  @Field(() => Int)
  offset: number;
}

/**
 * Adds `<member>PersonalDataAccessLog` to Citizen: who read or wrote this citizen's data at this agency, newest first.
 * Only the citizen themself and admins (the data protection officer) may read it.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function personalDataLogResolver(citizenType: Function, member: string): Function {
  @Resolver(() => citizenType)
  class CitizenPersonalDataLogResolver {
    @Authorized('citizen', 'admin')
    @FieldResolver(() => PersonalDataAccessPage, {
      name: personalDataLogFieldName(member),
      description: `Who accessed this citizen's personal data at ${member}, newest first (Decree 13/2023)`,
    })
    accessLog(
      @Root() citizen: { personalNumber: string },
      @Ctx() ctx: PersonalDataContext & { loader: <K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>) => { load(key: K): Promise<V> }; db: DataSource },
      @Args() page: PageArgs,
    ): Promise<PersonalDataAccessPage> {
      requireSelfIfCitizen(ctx.identity, citizen.personalNumber, 'personal data access log');
      const window = pageWindow(page);
      return ctx.loader<string, PersonalDataAccessPage>(`personalDataLog:${window.skip}:${window.take}`, (subjects) => personalDataAccessesOf(ctx.db, subjects, window))
        .load(citizen.personalNumber);
    }
  }
  Object.defineProperty(CitizenPersonalDataLogResolver, 'name', { value: `${camelCase(member)}PersonalDataLogResolver` });
  return CitizenPersonalDataLogResolver;
}
