import 'reflect-metadata';
import { defineSubgraph, handoffLogResolver, isMaskedIdentifier, personalDataLogResolver, RequestContext } from '@onestop/platform';
import { Citizen } from './entities/citizen';
import { CivilStatusRecord } from './entities/civil-status-record';
import { DossierRef } from './entities/references';
import { CitizenResolver } from './resolvers/citizen.resolver';
import { MeResolver } from './resolvers/me.resolver';
import { CivilStatusRecordResolver, DossierCivilStatusResolver } from './resolvers/civil-status-record.resolver';
import { CivilStatusFollowUp } from './entities/follow-up';
import { Initial1763800000000 } from './migrations/1763800000000-initial';
import { FollowUps1763900000001 } from './migrations/1763900000001-follow-ups';
import { RecordApplicant1766100000000 } from './migrations/1766100000000-record-applicant';
import { civilStatusHandoffs } from './handoffs/handlers';
import { citizenByNumber } from './loaders';
import { maskedCitizen } from './masked-citizen';

/** Civil status (hộ tịch): owns Citizen and the birth / marriage / death register. */
export const civilStatus = defineSubgraph({
  name: 'civil-status',
  defaultPort: 4002,
  entities: [Citizen, CivilStatusRecord, CivilStatusFollowUp],
  migrations: [Initial1763800000000, FollowUps1763900000001, RecordApplicant1766100000000],
  resolvers: [CitizenResolver, MeResolver, CivilStatusRecordResolver, DossierCivilStatusResolver, handoffLogResolver(DossierRef, 'civil-status'), personalDataLogResolver(Citizen, 'civil-status')],
  handoffs: civilStatusHandoffs,
  orphanedTypes: [DossierRef],
  references: {
    Citizen: (ref: { personalNumber: string }, ctx: RequestContext) =>
      isMaskedIdentifier(ref.personalNumber) ? maskedCitizen(ref.personalNumber) : citizenByNumber(ctx).load(ref.personalNumber),
  },
});

export { Citizen, CivilStatusRecord, CivilStatusFollowUp };
export { Sex } from './entities/citizen';
export { CivilStatusEventType } from './entities/civil-status-record';
