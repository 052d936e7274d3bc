import 'reflect-metadata';
import { defineSubgraph, handoffLogResolver, NotificationDelivery, personalDataLogResolver, RequestContext } from '@onestop/platform';
import { AdministrativeUnit } from './entities/administrative-unit';
import { Agency } from './entities/agency';
import { Dossier } from './entities/dossier';
import { DossierCodeCounter } from './entities/dossier-code-counter';
import { DossierEvent } from './entities/dossier-event';
import { Procedure } from './entities/procedure';
import { CitizenRef, EnterpriseRef } from './entities/references';
import { Initial1763800000000 } from './migrations/1763800000000-initial';
import { ClockPause1763900000001 } from './migrations/1763900000001-clock-pause';
import { LifecycleStatistics1765000000000 } from './migrations/1765000000000-lifecycle-statistics';
import { Feedback1765100000000 } from './migrations/1765100000000-feedback';
import { Feedback } from './entities/feedback';
import { FeedbackResolver } from './resolvers/feedback.resolver';
import { DossierDailyStatistics, STATISTICS_ENTITIES } from './entities/dossier-daily-statistics';
import { StatisticsGrains1765500000000 } from './migrations/1765500000000-statistics-grains';
import { OpenDossierIndex1765600000000 } from './migrations/1765600000000-open-dossier-index';
import { InboxOrderIndex1765700000000 } from './migrations/1765700000000-inbox-order-index';
import { LifecycleResolver } from './resolvers/lifecycle.resolver';
import { StatisticsResolver } from './resolvers/statistics.resolver';
import { singleWindowHandoffs } from './handoffs/handlers';
import { statusNotifier, SUBSCRIPTION_SDL } from './notifications';
import { ContactNotifications1765200000001 } from './migrations/1765200000001-contact-notifications';
import { PaymentDigitisation1765300000000 } from './migrations/1765300000000-payment-digitisation';
import { OnlineRegistration1765400000000 } from './migrations/1765400000000-online-registration';
import { AdministrativeUnitResolver, AgencyResolver } from './resolvers/reference-data.resolver';
import { ProcedureResolver } from './resolvers/procedure.resolver';
import { CitizenDossiersResolver, DossierResolver, EnterpriseDossiersResolver } from './resolvers/dossier.resolver';
import { dossierByCode, procedureByCode, unitByCode } from './loaders';
import { DocumentContent, DocumentUpload, DossierDocument } from './entities/document';
import { Documents1765800000000 } from './migrations/1765800000000-documents';
import { CitizenDocumentsResolver, DocumentResolver, DossierDocumentsResolver, ProcedurePapersResolver } from './resolvers/document.resolver';
import { documentRoutes } from './documents/routes';

/** The service center's registry (một cửa): units, agencies, the procedure catalogue and dossiers. */
export const singleWindow = defineSubgraph({
  name: 'single-window',
  defaultPort: 4001,
  entities: [AdministrativeUnit, Agency, Procedure, Dossier, DossierEvent, DossierCodeCounter, ...STATISTICS_ENTITIES, Feedback, NotificationDelivery, DocumentContent, DossierDocument, DocumentUpload],
  migrations: [Initial1763800000000, ClockPause1763900000001, LifecycleStatistics1765000000000, Feedback1765100000000, ContactNotifications1765200000001, PaymentDigitisation1765300000000, OnlineRegistration1765400000000, StatisticsGrains1765500000000, OpenDossierIndex1765600000000, InboxOrderIndex1765700000000, Documents1765800000000],
  resolvers: [
    AdministrativeUnitResolver, AgencyResolver, ProcedureResolver, DossierResolver, CitizenDossiersResolver, EnterpriseDossiersResolver, LifecycleResolver, StatisticsResolver, FeedbackResolver,
    DocumentResolver, DossierDocumentsResolver, ProcedurePapersResolver, CitizenDocumentsResolver,
    handoffLogResolver(Dossier, 'single-window'), personalDataLogResolver(CitizenRef, 'single-window'),
  ],
  handoffs: singleWindowHandoffs,
  workers: [statusNotifier()],
  routes: documentRoutes,
  extraTypeDefs: SUBSCRIPTION_SDL,
  orphanedTypes: [CitizenRef, EnterpriseRef],
  references: {
    Dossier: (ref: { code: string }, ctx: RequestContext) => dossierByCode(ctx).load(ref.code),
    Procedure: (ref: { code: string }, ctx: RequestContext) => procedureByCode(ctx).load(ref.code),
    AdministrativeUnit: (ref: { code: string }, ctx: RequestContext) => unitByCode(ctx).load(ref.code),
  },
});

export { AdministrativeUnit, Agency, Procedure, Dossier, DossierEvent, DossierCodeCounter, DossierDailyStatistics };
export { ReturnChannel, Rating } from './entities/dossier';
export { Outcome, decideOutcome } from './lifecycle/outcome';
export { TRANSITIONS, mayMove } from './lifecycle/transitions';
export { countsOfDossier } from './statistics/rebuild';
export { accumulate, ROLLUPS } from './statistics/rollup';
export type { RollupRow } from './statistics/rollup';
export { AgencyDailyStatistics, AgencyMonthlyStatistics, DossierMonthlyStatistics } from './entities/dossier-daily-statistics';
export { statisticsReport } from './statistics/report';
export type { Dimension, ReportFilter, ReportRow } from './statistics/report';
export { COUNTERS } from './entities/dossier-daily-statistics';
export { AdministrativeLevel } from './entities/administrative-unit';
export { AgencySector } from './entities/agency';
export { OnlineService, ResultForm } from './entities/procedure';
export { Channel, DossierStatus, NATIONAL_STATUS_CODE, FINISHED_STATUSES, ruleSetAt } from './entities/dossier-status';
export { receiveDossier, workingCalendar } from './intake';
export { DOSSIER_STATUS_CHANNEL } from './notifications';
export { DocumentContent, DocumentOrigin, DocumentUpload, DossierDocument } from './entities/document';
