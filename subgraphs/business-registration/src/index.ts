import 'reflect-metadata';
import { defineSubgraph, RequestContext } from '@onestop/platform';
import { BusinessLine } from './entities/business-line';
import { Enterprise } from './entities/enterprise';
import { CitizenRef, DossierRef } from './entities/references';
import { Initial1763800000000 } from './migrations/1763800000000-initial';
import { CitizenEnterprisesResolver, DossierEnterpriseResolver, EnterpriseResolver } from './resolvers/enterprise.resolver';
import { enterpriseByCode } from './loaders';

/** Business registration (đăng ký doanh nghiệp): owns Enterprise and its business lines. */
export const businessRegistration = defineSubgraph({
  name: 'business-registration',
  defaultPort: 4003,
  entities: [Enterprise, BusinessLine],
  migrations: [Initial1763800000000],
  resolvers: [EnterpriseResolver, CitizenEnterprisesResolver, DossierEnterpriseResolver],
  orphanedTypes: [CitizenRef, DossierRef],
  references: {
    Enterprise: (ref: { enterpriseCode: string }, ctx: RequestContext) => enterpriseByCode(ctx).load(ref.enterpriseCode),
  },
});

export { Enterprise, BusinessLine };
export { EnterpriseStatus, EnterpriseType } from './entities/enterprise';
