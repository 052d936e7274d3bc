import 'reflect-metadata';
import { defineSubgraph, handoffLogResolver, personalDataLogResolver, RequestContext } from '@onestop/platform';
import { LandParcel } from './entities/land-parcel';
import { LandTransaction } from './entities/land-transaction';
import { LandUseRight } from './entities/land-use-right';
import { CitizenRef, DossierRef, EnterpriseRef } from './entities/references';
import { Initial1763800000000 } from './migrations/1763800000000-initial';
import { TransferHandoffs1763900000001 } from './migrations/1763900000001-transfer-handoffs';
import { TransactionAgency1766000000000 } from './migrations/1766000000000-transaction-agency';
import { landHandoffs } from './handoffs/handlers';
import { LandTransferResolver } from './resolvers/land-transfer.resolver';
import { LandParcelResolver } from './resolvers/land-parcel.resolver';
import { CitizenLandRightsResolver, EnterpriseLandRightsResolver, LandUseRightResolver } from './resolvers/land-use-right.resolver';
import { DossierLandTransactionResolver, LandTransactionResolver } from './resolvers/land-transaction.resolver';
import { parcelById } from './loaders';

/** Land administration (đất đai): owns LandParcel, land-use rights and land transactions. */
export const land = defineSubgraph({
  name: 'land',
  defaultPort: 4004,
  entities: [LandParcel, LandUseRight, LandTransaction],
  migrations: [Initial1763800000000, TransferHandoffs1763900000001, TransactionAgency1766000000000],
  resolvers: [
    LandParcelResolver, LandUseRightResolver, LandTransactionResolver,
    CitizenLandRightsResolver, EnterpriseLandRightsResolver, DossierLandTransactionResolver, LandTransferResolver,
    handoffLogResolver(DossierRef, 'land'), personalDataLogResolver(CitizenRef, 'land'),
  ],
  handoffs: landHandoffs,
  orphanedTypes: [CitizenRef, EnterpriseRef, DossierRef],
  references: {
    LandParcel: (ref: { id: string }, ctx: RequestContext) => parcelById(ctx).load(ref.id),
  },
});

export { LandParcel, LandUseRight, LandTransaction };
export { LandUseRightStatus } from './entities/land-use-right';
export { LandTransactionStatus, LandTransactionType } from './entities/land-transaction';
export { LAND_USE_PURPOSES } from './land-use-purposes';
