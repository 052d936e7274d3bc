import 'reflect-metadata';
import { defineSubgraph, handoffLogResolver, personalDataLogResolver } from '@onestop/platform';
import { TaxNotice } from './entities/tax-notice';
import { TaxObligation } from './entities/tax-obligation';
import { TaxPayment } from './entities/tax-payment';
import { TaxProfile } from './entities/tax-profile';
import { CitizenRef, DossierRef, EnterpriseRef, LandParcelRef } from './entities/references';
import { Initial1763800000000 } from './migrations/1763800000000-initial';
import { taxHandoffs } from './handoffs/handlers';
import { TaxPaymentResolver } from './resolvers/tax-payment.resolver';
import { TaxObligationResolver } from './resolvers/tax-obligation.resolver';
import { DossierTaxResolver, TaxNoticeResolver } from './resolvers/tax-notice.resolver';
import { CitizenTaxResolver, EnterpriseTaxResolver, LandParcelTaxResolver } from './resolvers/taxpayer.resolver';

/** Tax administration (thuế): obligations, notices, payments and enterprise tax profiles. */
export const tax = defineSubgraph({
  name: 'tax',
  defaultPort: 4005,
  entities: [TaxObligation, TaxNotice, TaxPayment, TaxProfile],
  migrations: [Initial1763800000000],
  resolvers: [
    TaxObligationResolver, TaxNoticeResolver, DossierTaxResolver, CitizenTaxResolver, EnterpriseTaxResolver, LandParcelTaxResolver,
    TaxPaymentResolver, handoffLogResolver(DossierRef, 'tax'), personalDataLogResolver(CitizenRef, 'tax'),
  ],
  handoffs: taxHandoffs,
  orphanedTypes: [CitizenRef, EnterpriseRef, LandParcelRef, DossierRef],
});

export { TaxObligation, TaxNotice, TaxPayment, TaxProfile };
export { TaxObligationKind, TaxObligationStatus } from './entities/tax-obligation';
export { TaxPaymentChannel } from './entities/tax-payment';
export { TaxProfileStatus } from './entities/tax-profile';
export { OBLIGATION_KIND_NAMES } from './obligation-kinds';
