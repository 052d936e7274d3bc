import 'reflect-metadata';
import { defineSubgraph, handoffLogResolver, personalDataLogResolver, RequestContext } from '@onestop/platform';
import { BusinessLine } from './entities/business-line';
import { Enterprise } from './entities/enterprise';
import { CitizenRef, DossierRef } from './entities/references';
import { EnterpriseRegistration } from './entities/enterprise-registration';
import { Initial1763800000000 } from './migrations/1763800000000-initial';
import { EnterpriseRegistration1763900000001 } from './migrations/1763900000001-enterprise-registration';
import { RegistrationApplicant1766100000000 } from './migrations/1766100000000-registration-applicant';
import { businessRegistrationHandoffs } from './handoffs/handlers';
import {
  CitizenEnterprisesResolver, DossierEnterpriseRegistrationResolver, DossierEnterpriseResolver, EnterpriseResolver,
} from './resolvers/enterprise.resolver';
import { enterpriseByCode } from './loaders';

/** Business registration (đăng ký doanh nghiệp): owns Enterprise and its business lines. */
export const businessRegistration = defineSubgraph({
  name: 'business-registration',
  defaultPort: 4003,
  entities: [Enterprise, BusinessLine, EnterpriseRegistration],
  migrations: [Initial1763800000000, EnterpriseRegistration1763900000001, RegistrationApplicant1766100000000],
  resolvers: [
    EnterpriseResolver, CitizenEnterprisesResolver, DossierEnterpriseResolver, DossierEnterpriseRegistrationResolver,
    handoffLogResolver(DossierRef, 'business-registration'), personalDataLogResolver(CitizenRef, 'business-registration'),
  ],
  handoffs: businessRegistrationHandoffs,
  orphanedTypes: [CitizenRef, DossierRef],
  references: {
    Enterprise: (ref: { enterpriseCode: string }, ctx: RequestContext) => enterpriseByCode(ctx).load(ref.enterpriseCode),
  },
});

export { Enterprise, BusinessLine, EnterpriseRegistration };
export { EnterpriseStatus, EnterpriseType } from './entities/enterprise';
