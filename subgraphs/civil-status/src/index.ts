import 'reflect-metadata';
import { defineSubgraph, RequestContext } from '@onestop/platform';
import { Citizen } from './entities/citizen';
import { CivilStatusRecord } from './entities/civil-status-record';
import { DossierRef } from './entities/references';
import { CitizenResolver } from './resolvers/citizen.resolver';
import { CivilStatusRecordResolver, DossierCivilStatusResolver } from './resolvers/civil-status-record.resolver';
import { Initial1763800000000 } from './migrations/1763800000000-initial';
import { citizenByNumber } from './loaders';

/** Civil status (hộ tịch): owns Citizen and the birth / marriage / death register. */
export const civilStatus = defineSubgraph({
  name: 'civil-status',
  defaultPort: 4002,
  entities: [Citizen, CivilStatusRecord],
  migrations: [Initial1763800000000],
  resolvers: [CitizenResolver, CivilStatusRecordResolver, DossierCivilStatusResolver],
  orphanedTypes: [DossierRef],
  references: {
    Citizen: (ref: { personalNumber: string }, ctx: RequestContext) => citizenByNumber(ctx).load(ref.personalNumber),
  },
});

export { Citizen, CivilStatusRecord };
export { Sex } from './entities/citizen';
export { CivilStatusEventType } from './entities/civil-status-record';
