/**
 * The analysts' usual reports, offered in the explorer's "Saved reports" list. Each one is validated against
 * schemas/supergraph.graphql by explorer.test.ts, so a schema change that breaks one fails `npm test`.
 * The example variables are of the demo data's shape (valid identifiers of the fictitious province H99); replace them.
 */
export interface SavedQuery {
  /** Stable id (used in the page and by tests). */
  id: string;
  title: string;
  description: string;
  /** One named query operation. */
  query: string;
  /** The variables editor's content: JSON. */
  variables: string;
}

const json = (value: Record<string, unknown>) => JSON.stringify(value, null, 2);

export const SAVED_QUERIES: readonly SavedQuery[] = [
  {
    id: 'procedure-catalogue',
    title: 'Procedure catalogue',
    description: 'Danh mục thủ tục hành chính: by handling sector, level or part of the name, with deadlines, fees and online service level. Public data.',
    query: `query ProcedureCatalogue($handlingSector: AgencySector, $level: AdministrativeLevel, $nameContains: String, $offset: Int! = 0, $limit: Int! = 100) {
  procedures(handlingSector: $handlingSector, level: $level, nameContains: $nameContains, offset: $offset, limit: $limit) {
    totalCount
    items {
      code
      name
      fieldName
      handlingSector
      level
      processingDays
      feeAmount
      onlineService
      resultForm
      active
    }
  }
}`,
    variables: json({ handlingSector: 'LAND', limit: 100 }),
  },
  {
    id: 'dossiers-by-status-and-agency',
    title: 'Dossiers by status and agency',
    description: 'Hồ sơ: the dossiers of a receiving (or handling) agency in the given statuses and period, newest first, with overdue flags.',
    query: `query DossiersByStatusAndAgency(
  $statuses: [DossierStatus!]
  $receivingAgencyCode: String
  $handlingAgencyCode: String
  $receivedFrom: DateTimeISO
  $receivedTo: DateTimeISO
  $offset: Int! = 0
  $limit: Int! = 100
) {
  dossiers(
    statuses: $statuses
    receivingAgencyCode: $receivingAgencyCode
    handlingAgencyCode: $handlingAgencyCode
    receivedFrom: $receivedFrom
    receivedTo: $receivedTo
    offset: $offset
    limit: $limit
  ) {
    totalCount
    items {
      code
      status
      statusCode
      channel
      receivedAt
      appointmentAt
      resolvedAt
      isOverdue
      procedure { code name handlingSector }
      receivingAgency { code name }
      handlingAgency { code name sector }
    }
  }
}`,
    variables: json({
      statuses: ['RECEIVED', 'IN_APPRAISAL', 'SUPPLEMENT_REQUESTED', 'FINANCIAL_OBLIGATION'],
      receivingAgencyCode: '000.00.00.H99',
      receivedFrom: '2026-01-01T00:00:00.000Z',
      limit: 100,
    }),
  },
  {
    id: 'center-report',
    title: 'Center report: dossiers resolved early, on time, late',
    description: 'Báo cáo tình hình giải quyết hồ sơ: received, resolved, early / on time / late with %, satisfaction, online and digitisation shares, open now, feedback, and the Decision 766 indicators; per month, level and handling agency, for a period. In the workspace (under the result): charts by month, agency or level, and the indicators in Vietnamese.',
    query: `query CenterReport($from: String!, $to: String!, $levels: [String!], $groupBy: [StatisticsDimension!]! = [MONTH, LEVEL, HANDLING_AGENCY]) {
  dossierStatistics(filter: { from: $from, to: $to, levels: $levels }, groupBy: $groupBy) {
    from
    to
    total {
      received
      resolved
      resolvedShare
      early
      earlyShare
      onTime
      onTimeShare
      late
      lateShare
      sameDay
      averageProcessingDays
      onlineShare
      paidOnlineShare
      digitisedShare
      ratings
      verySatisfiedShare
      satisfiedShare
      notSatisfiedShare
      inProgress
      inProgressOverdue
    }
    rows {
      period
      level
      handlingAgency { code name }
      received
      resolved
      early
      earlyShare
      onTime
      onTimeShare
      late
      lateShare
      ratings
      verySatisfiedShare
      satisfiedShare
      notSatisfiedShare
      inProgressOverdue
    }
    feedback { received answeredOnTime answeredOnTimeShare openOverdue }
    indicators { id group name ratio threshold points maxPoints }
  }
}`,
    variables: json({ from: '2026-01-01', to: '2026-10-31', groupBy: ['MONTH', 'LEVEL', 'HANDLING_AGENCY'] }),
  },
  {
    id: 'digitisation-report',
    title: 'Digitisation: papers, reused data, electronic results (766 group 4)',
    description: 'From the dossiers\' documents: shares digitised at intake, reusing the citizen\'s data, with an electronic result, by handling agency, and the Decision 766 digitisation indicators.',
    query: `query DigitisationReport($from: String!, $to: String!, $groupBy: [StatisticsDimension!]) {
  dossierStatistics(filter: { from: $from, to: $to }, groupBy: $groupBy) {
    total { received digitisedShare reusedDataShare electronicResultShare }
    rows { handlingAgency { code name } received digitisedShare reusedDataShare electronicResultShare }
    indicators { id name numerator denominator ratio points maxPoints }
  }
}`,
    variables: json({ from: '2026-01-01', to: '2026-10-31', groupBy: ['HANDLING_AGENCY'] }),
  },
  {
    id: 'agencies',
    title: 'Agencies and their codes',
    description: 'Cơ quan: every agency with its unit code (the prefix of its dossier codes), sector and level; filter by sector.',
    query: `query Agencies($sector: AgencySector, $receivesDossiers: Boolean) {
  agencies(sector: $sector, receivesDossiers: $receivesDossiers) {
    code
    name
    sector
    level
    receivesDossiers
    administrativeUnit { code name level }
  }
}`,
    variables: json({ receivesDossiers: true }),
  },
  {
    id: 'citizen-overview',
    title: 'Citizen overview',
    description: 'Công dân: one person by 12-digit personal number, across all five agencies: civil status, dossiers, land rights, taxes, enterprises.',
    query: `query CitizenOverview($personalNumber: String!) {
  citizen(personalNumber: $personalNumber) {
    personalNumber
    fullName
    birthDate
    sex
    permanentAddress
    isAlive
    civilStatusRecords { items { type registeredOn bookNumber entryNumber } }
    dossiers { items { code status statusCode receivedAt appointmentAt procedure { name } } }
    landRights { items { certificateSerial sharePercent status parcel { id area usePurposeName address } } }
    taxObligations { items { kindName period amount paidAmount dueDate status isOverdue } }
    enterprises { items { enterpriseCode name status } }
  }
}`,
    variables: json({ personalNumber: '035172001226' }),
  },
  {
    id: 'enterprise-search',
    title: 'Enterprise search',
    description: 'Doanh nghiệp: the business register by part of the name, status, VSIC code or head-office commune, with legal representative and tax office.',
    query: `query EnterpriseSearch($nameContains: String, $status: EnterpriseStatus, $vsicCode: String, $headOfficeCommuneCode: String, $offset: Int! = 0, $limit: Int! = 50) {
  enterprises(nameContains: $nameContains, status: $status, vsicCode: $vsicCode, headOfficeCommuneCode: $headOfficeCommuneCode, offset: $offset, limit: $limit) {
    totalCount
    items {
      enterpriseCode
      name
      type
      status
      registeredOn
      charterCapital
      headOfficeAddress
      legalRepresentative { personalNumber fullName }
      businessLines { vsicCode description isMain }
      taxProfile { managingTaxOffice status }
    }
  }
}`,
    variables: json({ nameContains: 'Tân Tiến', status: 'ACTIVE', limit: 50 }),
  },
  {
    id: 'dossier-lookup',
    title: 'Dossier lookup (tra cứu hồ sơ)',
    description: 'One dossier by code: its timeline and what every agency recorded of its handoffs.',
    query: `query DossierLookup($code: String!) {
  dossier(code: $code) {
    code
    status
    statusCode
    channel
    receivedAt
    appointmentAt
    resolvedAt
    isOverdue
    applicantName
    procedure { code name }
    receivingAgency { name }
    handlingAgency { name sector }
    timeline { at action status statusCode agencyCode note }
    singleWindowHandoffLog { at sender recipient messageType outcome reason }
    landHandoffLog { at sender recipient messageType outcome reason }
    taxHandoffLog { at sender recipient messageType outcome reason }
    businessRegistrationHandoffLog { at sender recipient messageType outcome reason }
    civilStatusHandoffLog { at sender recipient messageType outcome reason }
  }
}`,
    variables: json({ code: '000.00.00.H99-241122-0001' }),
  },
  {
    id: 'taxpayer-obligations',
    title: 'Tax obligations of a taxpayer',
    description: 'Nghĩa vụ thuế: a person\'s (personal number) or an enterprise\'s (enterprise code) obligations, latest due first.',
    query: `query TaxpayerObligations($taxpayerPersonalNumber: String, $taxpayerEnterpriseCode: String, $status: TaxObligationStatus, $offset: Int! = 0, $limit: Int! = 50) {
  taxObligations(taxpayerPersonalNumber: $taxpayerPersonalNumber, taxpayerEnterpriseCode: $taxpayerEnterpriseCode, status: $status, offset: $offset, limit: $limit) {
    totalCount
    items {
      kindName
      period
      amount
      paidAmount
      dueDate
      status
      isOverdue
      dossierCode
      notice { noticeNumber issuedOn dueDate }
    }
  }
}`,
    variables: json({ taxpayerEnterpriseCode: '9901000114' }),
  },
];
