import { Authorized, Ctx, Field, FieldResolver, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { RequestContext } from '@onestop/platform';
import { Citizen } from '../entities/citizen';
import { citizenByNumber } from '../loaders';

@ObjectType({ description: 'The caller, as the gateway verified them from their token' })
export class Me {
  @Field({ description: 'citizen, officer, agency-system, analyst or admin' })
  role: string;

  @Field({ description: 'The token\'s subject: a citizen\'s personal number, an officer\'s or analyst\'s id' })
  subject: string;

  @Field(() => String, { nullable: true, description: 'Officer and agency system: the agency code' })
  agency: string | null;

  @Field(() => String, { nullable: true, description: 'Officer and agency system: the agency\'s sector' })
  sector: string | null;

  @Field(() => String, { nullable: true, description: 'Officer: the administrative unit the agency serves, where it applies' })
  unit: string | null;

  @Field(() => String, { nullable: true, description: 'The name in the token' })
  name: string | null;
}

@Resolver(() => Me)
export class MeResolver {
  @Authorized('authenticated')
  @Query(() => Me, { description: 'Who is calling (any signed-in caller; anonymous callers are refused): role, subject, agency, and a citizen\'s own record' })
  me(@Ctx() ctx: RequestContext): Me {
    const identity = ctx.identity!;
    return {
      role: identity.role, subject: identity.subject, agency: identity.agency ?? null, sector: identity.sector ?? null,
      unit: identity.unit ?? null, name: identity.name ?? null,
    };
  }

  @FieldResolver(() => Citizen, {
    nullable: true,
    description: 'A citizen\'s own record (with their dossiers, land rights, taxes and enterprises through the graph); null for other roles, or when not registered here',
  })
  citizen(@Root() me: Me, @Ctx() ctx: RequestContext): Promise<Citizen | null> | null {
    // the identity, not the root: the subject is the caller's own
    const identity = ctx.identity;
    if (identity?.role !== 'citizen' || identity.subject !== me.subject) return null;
    return citizenByNumber(ctx).load(identity.subject);
  }
}
