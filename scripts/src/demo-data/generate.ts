import {
  landParcelId, makeEnterpriseCode, makePersonalNumber, PERSONAL_NUMBER_PROVINCES, WorkingCalendar, formatDossierCode,
} from '@onestop/platform';
import { accumulate, countsOfDossier, decideOutcome, ROLLUPS, DossierStatus, NATIONAL_STATUS_CODE, ruleSetAt } from '@onestop/single-window';
import type { AdministrativeUnit, Agency, DocumentContent, DocumentOrigin, Dossier, DossierCodeCounter, DossierDocument, DossierEvent, Procedure, RollupRow } from '@onestop/single-window';
import { DemoFile, demoFile, demoPdf, demoPng, firstPaperOf } from './documents';
import type { Citizen, CivilStatusRecord } from '@onestop/civil-status';
import type { BusinessLine, Enterprise } from '@onestop/business-registration';
import type { LandParcel, LandTransaction, LandUseRight } from '@onestop/land';
import type { TaxNotice, TaxObligation, TaxPayment, TaxProfile } from '@onestop/tax';
import * as names from './names';
import { DAY_MS, isoDate, localIsoDate, Random } from './random';
import {
  buildReference, BUSINESS_OFFICE, CENTER, civilStatusSection, districtLandBranch, LAND_OFFICE, newCommuneDesk, oldCommuneDesk,
  oldDistrictDesk, procedureCode, PROVINCE, REFORM_DATE, TAX_OFFICE,
} from './reference';

type Row<T> = { -readonly [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: T[K] };

/** The files behind a dataset's DocumentContent rows, by hash (written to the document store by the seed). */
export const DOCUMENT_FILES = new WeakMap<Dataset, Map<string, DemoFile>>();

interface DocumentPlan {
  wantsPaper: boolean;
  wantsReuse: boolean;
  issuesResult: boolean;
  online: boolean;
  officer: string;
  receivingAgencyCode: string;
  handlingAgencyCode: string;
}

/**
 * Papers and results of the demo dossiers, in the order they are received: a paper uploaded online or scanned at the
 * counter, a document of an earlier dossier of the same citizen reused, a result issued. The dossier's digitised,
 * reusedData and electronicResult follow from what is made here, as the service does it.
 */
class DemoDocuments {
  readonly contents: Row<DocumentContent>[] = [];
  readonly links: Omit<Row<DossierDocument>, 'id'>[] = [];
  readonly files = new Map<string, DemoFile>();
  private readonly store = new Map<string, Omit<Row<DossierDocument>, 'id'>[]>();

  constructor(private readonly rng: Random) {}

  private content(file: DemoFile, at: Date): void {
    if (this.files.has(file.hash)) return;
    this.files.set(file.hash, file);
    this.contents.push({ hash: file.hash, mediaType: file.mediaType, size: file.bytes.length, storedAt: at });
  }

  private link(dossier: Row<Dossier>, file: DemoFile, kind: string, origin: DocumentOrigin, reused: boolean, by: { role: string; id: string; agency: string | null }, at: Date) {
    const row = {
      dossierCode: dossier.code, hash: file.hash, mediaType: file.mediaType, size: file.bytes.length, kind, origin, reused,
      ownerPersonalNumber: dossier.applicantPersonalNumber, addedByRole: by.role, addedBy: by.id, addedByAgency: by.agency, addedAt: at,
      issuer: origin === 'ISSUED' && !reused ? 'single-window' : null, issuingAgencyCode: origin === 'ISSUED' && !reused ? dossier.handlingAgencyCode : null,
      signature: null,
    } as Omit<Row<DossierDocument>, 'id'>;
    this.links.push(row);
    if (dossier.applicantPersonalNumber) {
      const list = this.store.get(dossier.applicantPersonalNumber) ?? [];
      list.push(row);
      this.store.set(dossier.applicantPersonalNumber, list);
    }
  }

  add(dossier: Row<Dossier>, plan: DocumentPlan): void {
    const at = dossier.receivedAt;
    const paper = firstPaperOf(dossier.procedureCode);
    const earlier = dossier.applicantPersonalNumber ? (this.store.get(dossier.applicantPersonalNumber) ?? []) : [];
    if (plan.wantsPaper) {
      const file = plan.online
        ? demoFile(demoPdf(paper.name, [`Ho so ${dossier.code}`, `Nguoi nop: ${dossier.applicantName}`]), 'application/pdf')
        : demoFile(demoPng(this.rng.int(0, 255)), 'image/png');
      this.content(file, at);
      const by = plan.online ? { role: 'citizen', id: dossier.applicantPersonalNumber ?? 'anonymous', agency: null } : { role: 'officer', id: plan.officer, agency: plan.receivingAgencyCode };
      this.link(dossier, file, paper.kind, plan.online ? 'UPLOADED' as DocumentOrigin : 'DIGITISED' as DocumentOrigin, false, by, at);
    }
    if (plan.wantsReuse && earlier.length) {
      const again = earlier[this.rng.int(0, earlier.length - 1)];
      this.link(dossier, this.files.get(again.hash)!, again.kind, again.origin, true, { role: 'officer', id: plan.officer, agency: plan.receivingAgencyCode }, at);
    }
    const papers = this.links.filter((l) => l.dossierCode === dossier.code);
    dossier.digitised = papers.length > 0;
    dossier.reusedData = papers.some((l) => l.reused);
    if (plan.issuesResult && dossier.returnedAt) {
      const issuedAt = new Date(Math.floor((dossier.resolvedAt ?? dossier.returnedAt).getTime() / 1000) * 1000);
      const file = demoFile(demoPdf(`Ket qua ${dossier.procedureCode}`, [`Ho so ${dossier.code}`, `Cap cho: ${dossier.applicantName}`]), 'application/pdf');
      this.content(file, issuedAt);
      this.link(dossier, file, 'RESULT', 'ISSUED' as DocumentOrigin, false, { role: 'officer', id: plan.officer, agency: plan.handlingAgencyCode }, issuedAt);
      dossier.electronicResult = true;
    }
  }
}

export interface Dataset {
  'single-window': { AdministrativeUnit: Row<AdministrativeUnit>[]; Agency: Row<Agency>[]; Procedure: Row<Procedure>[]; Dossier: Row<Dossier>[]; DossierEvent: Row<DossierEvent>[]; DossierCodeCounter: Row<DossierCodeCounter>[] } & Record<string, object[]>;
  'civil-status': { Citizen: Row<Citizen>[]; CivilStatusRecord: Row<CivilStatusRecord>[] };
  'business-registration': { Enterprise: Row<Enterprise>[]; BusinessLine: Row<BusinessLine>[] };
  land: { LandParcel: Row<LandParcel>[]; LandUseRight: Row<LandUseRight>[]; LandTransaction: Row<LandTransaction>[] };
  tax: { TaxObligation: Row<TaxObligation>[]; TaxNotice: Row<TaxNotice>[]; TaxPayment: Row<TaxPayment>[]; TaxProfile: Row<TaxProfile>[] };
}

export interface GenerateOptions {
  citizens: number;
  seed: number;
  /** The "today" of the data; fixed so that the same seed always gives the same rows. */
  referenceNow: Date;
}

type Status = `${DossierStatus}`;
const statusCode = (status: Status) => NATIONAL_STATUS_CODE[status as DossierStatus];
type Sector = 'CIVIL_STATUS' | 'LAND' | 'BUSINESS_REGISTRATION' | 'TAX';

interface DossierDraft {
  procedure: Row<Procedure>;
  applicantName: string;
  personalNumber: string | null;
  enterpriseCode: string | null;
  communeCode: string;
  receivedAt: Date;
  status?: Status;
  /** Filled in once codes are assigned: rows of other subgraphs that name this dossier. */
  linked: { dossierCode: string | null }[];
  row?: Row<Dossier>;
}

const WINDOW_DAYS = 730;
const ONGOING: readonly (readonly [Status, number])[] = [
  ['RECEIVED', 10], ['TRANSFERRED', 10], ['IN_APPRAISAL', 25], ['AWAITING_PARTNER', 5], ['SUPPLEMENT_REQUESTED', 8],
  ['FINANCIAL_OBLIGATION', 8], ['APPROVAL', 8], ['RESOLVED', 10], ['RETURNED', 16], ['DRAFT', 3], ['INTAKE_REJECTED', 2], ['WITHDRAWN', 1],
];
const SETTLED: readonly (readonly [Status, number])[] = [
  ['RETURNED', 82], ['RESOLVED', 6], ['WITHDRAWN', 3], ['STOPPED', 2], ['INTAKE_REJECTED', 4], ['IN_APPRAISAL', 2], ['SUPPLEMENT_REQUESTED', 1],
];
/** The steps a dossier walks through to reach each state, in order. */
const PATH: Record<Status, Status[]> = {
  DRAFT: ['DRAFT'],
  INTAKE_REJECTED: ['DRAFT', 'INTAKE_REJECTED'],
  RECEIVED: ['RECEIVED'],
  TRANSFERRED: ['RECEIVED', 'TRANSFERRED'],
  IN_APPRAISAL: ['RECEIVED', 'TRANSFERRED', 'IN_APPRAISAL'],
  AWAITING_PARTNER: ['RECEIVED', 'TRANSFERRED', 'IN_APPRAISAL', 'AWAITING_PARTNER'],
  SUPPLEMENT_REQUESTED: ['RECEIVED', 'TRANSFERRED', 'IN_APPRAISAL', 'SUPPLEMENT_REQUESTED'],
  FINANCIAL_OBLIGATION: ['RECEIVED', 'TRANSFERRED', 'IN_APPRAISAL', 'FINANCIAL_OBLIGATION'],
  APPROVAL: ['RECEIVED', 'TRANSFERRED', 'IN_APPRAISAL', 'APPROVAL'],
  RESOLVED: ['RECEIVED', 'TRANSFERRED', 'IN_APPRAISAL', 'APPROVAL', 'RESOLVED'],
  RETURNED: ['RECEIVED', 'TRANSFERRED', 'IN_APPRAISAL', 'APPROVAL', 'RESOLVED', 'RETURNED'],
  WITHDRAWN: ['RECEIVED', 'TRANSFERRED', 'WITHDRAWN'],
  STOPPED: ['RECEIVED', 'TRANSFERRED', 'IN_APPRAISAL', 'SUPPLEMENT_REQUESTED', 'STOPPED'],
};
const ACTION: Record<Status, string> = {
  DRAFT: 'SUBMITTED_ONLINE', INTAKE_REJECTED: 'INTAKE_REJECTED', RECEIVED: 'RECEIVED', TRANSFERRED: 'TRANSFERRED',
  IN_APPRAISAL: 'APPRAISAL_STARTED', AWAITING_PARTNER: 'SENT_TO_PARTNER', SUPPLEMENT_REQUESTED: 'SUPPLEMENT_REQUESTED',
  FINANCIAL_OBLIGATION: 'FINANCIAL_OBLIGATION_NOTIFIED', APPROVAL: 'SUBMITTED_FOR_APPROVAL', RESOLVED: 'RESOLVED', RETURNED: 'RESULT_RETURNED',
  WITHDRAWN: 'WITHDRAWN', STOPPED: 'PROCESSING_STOPPED',
};
const NOTE: Partial<Record<Status, string>> = {
  RECEIVED: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)',
  INTAKE_REJECTED: 'Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)',
  SUPPLEMENT_REQUESTED: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)',
  STOPPED: 'Phiếu đề nghị dừng giải quyết hồ sơ (mẫu 05)',
  FINANCIAL_OBLIGATION: 'Thông báo nộp tiền của cơ quan thuế',
};
const BEYOND_TAX = new Set<Status>(['APPROVAL', 'RESOLVED', 'RETURNED']);
const FINISHED = new Set<Status>(['INTAKE_REJECTED', 'WITHDRAWN', 'STOPPED', 'RESOLVED', 'RETURNED']);
/** Processing ends there without a resolution. */
const ENDS = new Set<Status>(['INTAKE_REJECTED', 'WITHDRAWN', 'STOPPED']);

export function generateDataset(options: GenerateOptions): Dataset {
  const rng = new Random(options.seed);
  const now = options.referenceNow;
  const windowStart = new Date(now.getTime() - WINDOW_DAYS * DAY_MS);
  const calendar = new WorkingCalendar();
  const reference = buildReference();
  const procedures = reference.procedures as Row<Procedure>[];
  const procedureByShort = (short: string) => procedures.find((p) => p.code === procedureCode(short))!;
  const oldCommunesOf = new Map<string, string[]>();
  for (const unit of reference.units) {
    if (unit.successorCode) oldCommunesOf.set(unit.successorCode, [...(oldCommunesOf.get(unit.successorCode) ?? []), unit.code!]);
  }
  const districtOf = new Map(reference.oldCommunes.map((c) => [c.code, c.district]));
  const communeName = new Map(reference.units.map((u) => [u.code!, u.name!]));
  const randomTime = (from: Date, to: Date) => new Date(from.getTime() + Math.floor(rng.next() * (to.getTime() - from.getTime())));
  const officer = () => rng.pick(names.OFFICERS);

  // ---- citizens -----------------------------------------------------------------------------------------------
  const provinceCodes = Object.keys(PERSONAL_NUMBER_PROVINCES);
  const citizens: Row<Citizen>[] = [];
  const byYearSex = new Map<string, Row<Citizen>[]>();
  for (let i = 0; i < options.citizens; i++) {
    const sex = rng.chance(0.5) ? 'MALE' : 'FEMALE';
    const year = rng.weighted([[rng.int(1940, 1959), 1], [rng.int(1960, 1979), 3], [rng.int(1980, 1999), 4], [rng.int(2000, 2024), 3]]);
    const birthDate = isoDate(new Date(Date.UTC(year, 0, 1) + rng.int(0, 364) * DAY_MS));
    const family = rng.weighted(names.FAMILY_NAMES);
    const middle = rng.pick(sex === 'MALE' ? names.MALE_MIDDLE : names.FEMALE_MIDDLE);
    const given = rng.pick(sex === 'MALE' ? names.MALE_GIVEN : names.FEMALE_GIVEN);
    const commune = rng.pick(reference.newCommunes);
    const birthProvince = rng.chance(0.6) ? '068' : rng.pick(provinceCodes);
    const citizen: Row<Citizen> = {
      personalNumber: makePersonalNumber(birthProvince, year, sex, i + 1),
      fullName: `${family} ${middle} ${given}`,
      birthDate,
      sex: sex as never,
      ethnicity: rng.weighted(names.ETHNICITIES),
      nationality: 'VN',
      placeOfOrigin: rng.chance(0.7) ? `${communeName.get(rng.pick(reference.oldCommunes).code)}, ${PROVINCE.name}` : `Tỉnh ${PERSONAL_NUMBER_PROVINCES[rng.pick(provinceCodes)]}`,
      permanentAddress: `Số ${rng.int(1, 250)}, đường ${rng.pick(names.STREETS)}, ${commune.name}, ${PROVINCE.name}`,
      residenceCommuneCode: commune.code,
      fatherPersonalNumber: null,
      motherPersonalNumber: null,
      deathDate: year < 1960 && rng.chance(0.04) ? isoDate(randomTime(new Date(now.getTime() - 5 * 365 * DAY_MS), now)) : null,
    };
    citizens.push(citizen);
    const key = `${year}/${sex}`;
    const bucket = byYearSex.get(key);
    if (bucket) bucket.push(citizen);
    else byYearSex.set(key, [citizen]);
  }
  const yearOf = (c: Row<Citizen>) => Number(c.birthDate.slice(0, 4));
  const citizenByNumber = new Map(citizens.map((c) => [c.personalNumber, c]));
  for (const child of citizens) {
    const year = yearOf(child);
    if (year < 1990 || !rng.chance(0.6)) continue;
    const fathers = byYearSex.get(`${year - rng.int(22, 38)}/MALE`);
    const mothers = byYearSex.get(`${year - rng.int(20, 35)}/FEMALE`);
    if (fathers?.length) child.fatherPersonalNumber = rng.pick(fathers).personalNumber;
    if (mothers?.length) child.motherPersonalNumber = rng.pick(mothers).personalNumber;
  }
  const adults = citizens.filter((c) => yearOf(c) <= 2004 && !c.deathDate);
  const adultMen = adults.filter((c) => c.sex === ('MALE' as never));
  const adultWomen = adults.filter((c) => c.sex === ('FEMALE' as never));
  const adult = () => rng.pick(adults);

  // ---- dossier drafts (numbered at the end) ----------------------------------------------------------------------
  const drafts: DossierDraft[] = [];
  const draft = (procedure: Row<Procedure>, applicant: { citizen?: Row<Citizen>; enterprise?: Row<Enterprise> }, receivedAt: Date, status?: Status): DossierDraft => {
    const d: DossierDraft = {
      procedure,
      applicantName: applicant.citizen?.fullName ?? applicant.enterprise!.name,
      personalNumber: applicant.citizen?.personalNumber ?? null,
      enterpriseCode: applicant.enterprise?.enterpriseCode ?? null,
      communeCode: applicant.citizen?.residenceCommuneCode ?? applicant.enterprise!.headOfficeCommuneCode,
      receivedAt,
      status,
      linked: [],
    };
    drafts.push(d);
    return d;
  };

  // ---- civil-status register ---------------------------------------------------------------------------------------
  const records: Row<CivilStatusRecord>[] = [];
  const entryCounter = new Map<string, number>();
  const record = (type: string, on: string, commune: string, subject: string, second: string | null, note: string | null) => {
    const unit = on < REFORM_DATE ? (oldCommunesOf.get(commune)?.[0] ?? commune) : commune;
    const book = `01/${on.slice(0, 4)}`;
    const key = `${unit}|${book}`;
    const entry = (entryCounter.get(key) ?? 0) + 1;
    entryCounter.set(key, entry);
    const row: Row<CivilStatusRecord> = {
      id: records.length + 1, type: type as never, bookNumber: book, entryNumber: entry, registeredOn: on, registeringUnitCode: unit,
      subjectPersonalNumber: subject, secondPersonalNumber: second, dossierCode: null, applicantPersonalNumber: null, note,
    };
    records.push(row);
    return row;
  };
  const inWindow = (day: string) => day >= isoDate(windowStart) && day < isoDate(now);
  const civilDossier = (short: string, applicant: Row<Citizen>, on: string, row: Row<CivilStatusRecord>) => {
    if (!inWindow(on)) return;
    const receivedAt = new Date(`${on}T0${rng.int(1, 7)}:${String(rng.int(0, 59)).padStart(2, '0')}:00Z`);
    const d = draft(procedureByShort(short), { citizen: applicant }, receivedAt, 'RETURNED');
    row.applicantPersonalNumber = applicant.personalNumber;
    d.linked.push(row);
  };
  for (const citizen of citizens) {
    if (yearOf(citizen) >= 1990) {
      const on = isoDate(new Date(Date.parse(citizen.birthDate) + rng.int(5, 45) * DAY_MS));
      if (on < isoDate(now)) {
        const row = record('BIRTH', on, citizen.residenceCommuneCode, citizen.personalNumber, null, null);
        const parent = citizen.motherPersonalNumber ? citizenByNumber.get(citizen.motherPersonalNumber) ?? null : null;
        civilDossier('1.001193', parent && !parent.deathDate ? parent : citizen, on, row);
      }
    }
  }
  const married = new Set<string>();
  const spouses: [Row<Citizen>, Row<Citizen>][] = [];
  for (let i = 0; i < Math.floor(Math.min(adultMen.length, adultWomen.length) * 0.6); i++) {
    const husband = rng.pick(adultMen);
    const wife = rng.pick(adultWomen);
    if (married.has(husband.personalNumber) || married.has(wife.personalNumber)) continue;
    married.add(husband.personalNumber);
    married.add(wife.personalNumber);
    spouses.push([husband, wife]);
    const earliest = Math.max(yearOf(husband) + 20, yearOf(wife) + 18, 1975);
    const on = isoDate(new Date(Date.UTC(rng.int(earliest, Math.max(earliest, now.getUTCFullYear())), rng.int(0, 11), rng.int(1, 28))));
    if (on >= isoDate(now)) continue;
    const row = record('MARRIAGE', on, husband.residenceCommuneCode, husband.personalNumber, wife.personalNumber, null);
    civilDossier('1.000894', husband, on, row);
  }
  for (const citizen of citizens) {
    if (!citizen.deathDate) continue;
    const on = isoDate(new Date(Date.parse(citizen.deathDate) + rng.int(1, 10) * DAY_MS));
    if (on >= isoDate(now)) continue;
    const row = record('DEATH', on, citizen.residenceCommuneCode, citizen.personalNumber, null, null);
    civilDossier('1.000656', adult(), on, row);
  }

  // ---- enterprises ------------------------------------------------------------------------------------------------
  const enterprises: Row<Enterprise>[] = [];
  const lines: Row<BusinessLine>[] = [];
  const usedCodes = new Set<string>();
  const usedNames = new Set<string>();
  const typeLabel: Record<string, string> = {
    PRIVATE_ENTERPRISE: 'Doanh nghiệp tư nhân', SINGLE_MEMBER_LLC: 'Công ty TNHH', MULTI_MEMBER_LLC: 'Công ty TNHH', JOINT_STOCK_COMPANY: 'Công ty Cổ phần', PARTNERSHIP: 'Công ty Hợp danh',
  };
  const establishProcedure: Record<string, string> = {
    PRIVATE_ENTERPRISE: '1.001612', SINGLE_MEMBER_LLC: '2.001610', MULTI_MEMBER_LLC: '2.002035', JOINT_STOCK_COMPANY: '1.005385', PARTNERSHIP: '2.002035',
  };
  const enterpriseCount = Math.max(5, Math.round(options.citizens / 20));
  for (let i = 0; i < enterpriseCount; i++) {
    const type = rng.weighted([['PRIVATE_ENTERPRISE', 15], ['SINGLE_MEMBER_LLC', 40], ['MULTI_MEMBER_LLC', 25], ['JOINT_STOCK_COMPANY', 18], ['PARTNERSHIP', 2]] as const);
    let code = makeEnterpriseCode('99', 100_000 + i * 11);
    while (usedCodes.has(code)) code = makeEnterpriseCode('99', Number(code.slice(2, 9)) + 1);
    usedCodes.add(code);
    let name = `${typeLabel[type]} ${rng.pick(names.COMPANY_TRADES)} ${rng.pick(names.COMPANY_WORDS)}`;
    for (let n = 2; usedNames.has(name); n++) name = `${name.replace(/ \d+$/, '')} ${n}`;
    usedNames.add(name);
    const commune = rng.pick(reference.newCommunes);
    const registeredOn = isoDate(randomTime(new Date('2000-01-01T00:00:00Z'), now));
    const enterprise: Row<Enterprise> = {
      enterpriseCode: code, name, foreignName: null, shortName: null, type: type as never,
      status: rng.weighted([['ACTIVE', 85], ['SUSPENDED', 5], ['DISSOLVING', 3], ['DISSOLVED', 6], ['BANKRUPT', 1]] as const) as never,
      headOfficeAddress: `Số ${rng.int(1, 500)}, đường ${rng.pick(names.STREETS)}, ${commune.name}, ${PROVINCE.name}`,
      headOfficeCommuneCode: commune.code, charterCapital: rng.int(1, 500) * 100_000_000, registeredOn,
      legalRepresentativePersonalNumber: adult().personalNumber, parentEnterpriseCode: null, registrationDossierCode: null,
      phone: `0${rng.pick(['2', '9', '8', '3'])}${String(rng.int(10_000_000, 99_999_999))}`, email: null,
    };
    enterprises.push(enterprise);
    const vsic = [...names.VSIC];
    for (let l = 0, count = rng.int(1, 4); l < count; l++) {
      const [vsicCode, description] = vsic.splice(rng.int(0, vsic.length - 1), 1)[0];
      lines.push({ id: lines.length + 1, enterpriseCode: code, vsicCode, description, isMain: l === 0 });
    }
    if (inWindow(registeredOn)) {
      const d = draft(procedureByShort(establishProcedure[type]), { citizen: citizenByNumber.get(enterprise.legalRepresentativePersonalNumber) },
        new Date(Date.parse(registeredOn) - rng.int(3, 6) * DAY_MS + rng.int(1, 8) * 3_600_000), 'RETURNED');
      d.linked.push({ set dossierCode(value: string | null) { enterprise.registrationDossierCode = value; }, get dossierCode() { return enterprise.registrationDossierCode; } });
    }
    if (type !== 'PRIVATE_ENTERPRISE' && rng.chance(0.1)) {
      enterprises.push({
        ...enterprise, enterpriseCode: `${code}-001`, name: `Chi nhánh ${name}`.slice(0, 255), type: 'BRANCH' as never, charterCapital: null,
        parentEnterpriseCode: code, registrationDossierCode: null, registeredOn: registeredOn,
      });
      usedNames.add(`Chi nhánh ${name}`);
    }
  }
  const activeEnterprises = enterprises.filter((e) => e.status === ('ACTIVE' as never) && !e.parentEnterpriseCode);

  // ---- land ---------------------------------------------------------------------------------------------------------
  const parcels: Row<LandParcel>[] = [];
  const rights: Row<LandUseRight>[] = [];
  const transactions: Row<LandTransaction>[] = [];
  const purposes = [['ODT', 30], ['ONT', 30], ['LUC', 12], ['CLN', 10], ['BHK', 5], ['NTS', 3], ['RSX', 2], ['TMD', 5], ['SKC', 3]] as const;
  const areaRange: Record<string, [number, number]> = {
    ODT: [40, 300], ONT: [100, 800], LUC: [300, 3000], CLN: [500, 5000], BHK: [300, 2500], NTS: [500, 6000], RSX: [2000, 30000], TMD: [200, 3000], SKC: [500, 12000],
  };
  const nextParcel = new Map<string, number>();
  const rightsOfParcel = new Map<string, Row<LandUseRight>[]>();
  let certificate = 100_000;
  const registerNumber = new Map<string, number>();
  const issueRight = (parcelId: string, commune: string, holder: { personalNumber?: string; enterpriseCode?: string }, share: number, issuedOn: string) => {
    const n = (registerNumber.get(commune) ?? 0) + 1;
    registerNumber.set(commune, n);
    const right: Row<LandUseRight> = {
      id: rights.length + 1, parcelId, holderPersonalNumber: holder.personalNumber ?? null, holderEnterpriseCode: holder.enterpriseCode ?? null,
      sharePercent: share, certificateSerial: `${rng.pick(names.CERTIFICATE_SERIES)} ${++certificate}`, certificateRegisterNumber: `CS ${String(n).padStart(5, '0')}`,
      issuedOn, endedOn: null, status: 'ACTIVE' as never,
    };
    rights.push(right);
    rightsOfParcel.set(parcelId, [...(rightsOfParcel.get(parcelId) ?? []), right]);
    return right;
  };
  const spouseOf = new Map<string, string>();
  for (const [h, w] of spouses) {
    spouseOf.set(h.personalNumber, w.personalNumber);
    spouseOf.set(w.personalNumber, h.personalNumber);
  }
  const parcelCount = Math.max(10, Math.round(options.citizens / 2));
  for (let i = 0; i < parcelCount; i++) {
    const commune = reference.newCommunes[i % reference.newCommunes.length];
    const sheet = rng.int(1, 40);
    const key = `${commune.code}-${sheet}`;
    const number = (nextParcel.get(key) ?? 0) + rng.int(1, 3);
    nextParcel.set(key, number);
    const purpose = rng.weighted(purposes);
    const [minArea, maxArea] = areaRange[purpose];
    const residential = purpose === 'ODT' || purpose === 'ONT';
    const parcel: Row<LandParcel> = {
      id: landParcelId(commune.code, sheet, number), communeCode: commune.code, mapSheetNumber: sheet, parcelNumber: number,
      area: Math.round((minArea + rng.next() * (maxArea - minArea)) * 10) / 10, usePurpose: purpose,
      useTermUntil: residential ? null : `20${rng.int(45, 74)}-${String(rng.int(1, 12)).padStart(2, '0')}-15`,
      origin: rng.pick(names.LAND_ORIGINS), address: `Thửa ${number}, tờ bản đồ ${sheet}, ${commune.name}, ${PROVINCE.name}`,
    };
    parcels.push(parcel);
    const issuedOn = isoDate(randomTime(new Date('1995-01-01T00:00:00Z'), windowStart));
    if ((purpose === 'TMD' || purpose === 'SKC') && activeEnterprises.length && rng.chance(0.7)) {
      issueRight(parcel.id, commune.code, { enterpriseCode: rng.pick(activeEnterprises).enterpriseCode }, 100, issuedOn);
    } else {
      const holder = adult();
      const spouse = spouseOf.get(holder.personalNumber);
      if (spouse && rng.chance(0.5)) {
        issueRight(parcel.id, commune.code, { personalNumber: holder.personalNumber }, 50, issuedOn);
        issueRight(parcel.id, commune.code, { personalNumber: spouse }, 50, issuedOn);
      } else {
        issueRight(parcel.id, commune.code, { personalNumber: holder.personalNumber }, 100, issuedOn);
      }
    }
  }

  // ---- tax ------------------------------------------------------------------------------------------------------------
  const obligations: Row<TaxObligation>[] = [];
  const notices: Row<TaxNotice>[] = [];
  const payments: Row<TaxPayment>[] = [];
  const obligation = (o: Omit<Row<TaxObligation>, 'id'>) => {
    const row = { id: obligations.length + 1, ...o } as Row<TaxObligation>;
    obligations.push(row);
    return row;
  };
  const pay = (o: Row<TaxObligation>, before: Date) => {
    payments.push({
      id: payments.length + 1, obligationId: o.id, receiptNumber: `BL${String(payments.length + 1).padStart(9, '0')}`, amount: o.amount,
      paidAt: new Date(before.getTime() - rng.int(1, 20) * DAY_MS - rng.int(0, 8) * 3_600_000),
      channel: rng.weighted([['NATIONAL_PUBLIC_SERVICE_PORTAL', 45], ['BANK_TRANSFER', 40], ['TREASURY_COUNTER', 15]] as const) as never,
    });
  };

  // ---- land transactions with their dossiers and tax assessments --------------------------------------------------------
  const landProcedure: Record<string, string> = { TRANSFER: '1.004227', GIFT: '1.004227', INHERITANCE: '1.004227', MORTGAGE: '1.003003', FIRST_REGISTRATION: '1.004221' };
  const transactionCount = Math.round(parcelCount * 0.3);
  const draftOfTransaction = new Map<Row<LandTransaction>, DossierDraft>();
  const usedParcels = new Set<string>();
  for (let i = 0; i < transactionCount; i++) {
    const parcel = rng.pick(parcels);
    if (usedParcels.has(parcel.id)) continue;
    usedParcels.add(parcel.id);
    const current = (rightsOfParcel.get(parcel.id) ?? []).filter((r) => r.status === ('ACTIVE' as never));
    const seller = current.find((r) => r.holderPersonalNumber)?.holderPersonalNumber;
    if (!seller) continue;
    const type = rng.weighted([['TRANSFER', 50], ['GIFT', 15], ['INHERITANCE', 10], ['MORTGAGE', 15], ['FIRST_REGISTRATION', 10]] as const);
    const buyer = type === 'MORTGAGE' || type === 'FIRST_REGISTRATION' ? citizenByNumber.get(seller)! : adult();
    const receivedAt = randomTime(windowStart, now);
    const d = draft(procedureByShort(landProcedure[type]), { citizen: buyer }, receivedAt);
    d.communeCode = parcel.communeCode;
    const status = pickStatus(d, 'LAND');
    const value = type === 'TRANSFER' ? Math.round(parcel.area * rng.int(2, 30)) * 1_000_000 : null;
    const transaction: Row<LandTransaction> = {
      id: transactions.length + 1, dossierCode: null as never, parcelId: parcel.id, type: type as never,
      transferorPersonalNumber: type === 'MORTGAGE' || type === 'FIRST_REGISTRATION' ? null : seller,
      transfereePersonalNumber: type === 'MORTGAGE' || type === 'FIRST_REGISTRATION' ? null : buyer.personalNumber,
      contractValue: value,
      status: (status === 'FINANCIAL_OBLIGATION' ? 'AWAITING_FINANCIAL_OBLIGATION'
        : status === 'RESOLVED' || status === 'RETURNED' ? 'CERTIFICATE_ISSUED'
        : status === 'INTAKE_REJECTED' || status === 'STOPPED' || status === 'WITHDRAWN' ? 'REJECTED' : 'APPRAISING') as never,
      submittedAt: receivedAt, completedAt: null, taxNoticeNumber: null, taxAmount: null, taxPaidAt: null, note: null, handlingAgencyCode: null,
    };
    transactions.push(transaction);
    draftOfTransaction.set(transaction, d);
    d.linked.push(transaction as { dossierCode: string | null });
    const taxed = (type === 'TRANSFER' || type === 'GIFT' || type === 'INHERITANCE') && (status === 'FINANCIAL_OBLIGATION' || BEYOND_TAX.has(status));
    if (taxed) {
      const paid = status !== 'FINANCIAL_OBLIGATION';
      const issued = new Date(receivedAt.getTime() + rng.int(2, 6) * DAY_MS);
      const notice: Row<TaxNotice> = {
        id: notices.length + 1, noticeNumber: `${issued.getUTCFullYear()}/TB-THUE/${String(notices.length + 1).padStart(6, '0')}`, dossierCode: null,
        taxpayerPersonalNumber: buyer.personalNumber, taxpayerEnterpriseCode: null, taxOfficeCode: '99001',
        issuedOn: localIsoDate(issued), dueDate: localIsoDate(new Date(issued.getTime() + 30 * DAY_MS)),
        treasuryAccount: '7111', paymentReference: `HA${String(notices.length + 1).padStart(10, '0')}`,
      };
      notices.push(notice);
      d.linked.push(notice as { dossierCode: string | null });
      const baseValue = value ?? Math.round(parcel.area * 8) * 1_000_000;
      const lines = [
        obligation({ taxpayerPersonalNumber: buyer.personalNumber, taxpayerEnterpriseCode: null, parcelId: parcel.id, dossierCode: null, noticeId: notice.id,
          kind: 'REGISTRATION_FEE' as never, period: notice.issuedOn.slice(0, 4), amount: Math.round(baseValue * 0.005), dueDate: notice.dueDate, status: (paid ? 'PAID' : 'UNPAID') as never }),
      ];
      if (type === 'TRANSFER') {
        lines.push(obligation({ taxpayerPersonalNumber: seller, taxpayerEnterpriseCode: null, parcelId: parcel.id, dossierCode: null, noticeId: notice.id,
          kind: 'PERSONAL_INCOME_TAX' as never, period: notice.issuedOn.slice(0, 4), amount: Math.round(baseValue * 0.02), dueDate: notice.dueDate, status: (paid ? 'PAID' : 'UNPAID') as never }));
      }
      for (const line of lines) {
        d.linked.push(line as { dossierCode: string | null });
        if (paid) pay(line, new Date(Date.parse(notice.dueDate)));
      }
    }
    if ((status === 'RESOLVED' || status === 'RETURNED') && transaction.transfereePersonalNumber) {
      const ended = localIsoDate(new Date(Math.min(now.getTime() - DAY_MS, receivedAt.getTime() + Number(d.procedure.processingDays) * 1.4 * DAY_MS)));
      for (const right of current) {
        right.status = 'ENDED' as never;
        right.endedOn = ended;
      }
      issueRight(parcel.id, parcel.communeCode, { personalNumber: transaction.transfereePersonalNumber }, 100, ended);
    }
  }

  // ---- yearly taxes and enterprise tax profiles ---------------------------------------------------------------------------
  const year = now.getUTCFullYear();
  for (const parcel of parcels) {
    if (parcel.usePurpose !== 'ODT' && parcel.usePurpose !== 'ONT') continue;
    const holder = (rightsOfParcel.get(parcel.id) ?? []).find((r) => r.status === ('ACTIVE' as never) && r.holderPersonalNumber);
    if (!holder) continue;
    for (const period of [year - 1, year]) {
      const due = `${period}-10-31`;
      const exempt = rng.chance(0.03);
      const paid = !exempt && rng.chance(period < year ? 0.96 : 0.75);
      const o = obligation({ taxpayerPersonalNumber: holder.holderPersonalNumber, taxpayerEnterpriseCode: null, parcelId: parcel.id, dossierCode: null, noticeId: null,
        kind: 'NON_AGRICULTURAL_LAND_TAX' as never, period: String(period), amount: Math.max(1000, Math.round(parcel.area * rng.int(8, 30) / 10) * 100),
        dueDate: due, status: (exempt ? 'EXEMPT' : paid ? 'PAID' : 'UNPAID') as never });
      if (paid) pay(o, new Date(`${due}T00:00:00Z`));
    }
  }
  const profiles: Row<TaxProfile>[] = enterprises.map((e, i) => ({
    enterpriseCode: e.enterpriseCode, taxOfficeCode: `99${String((i % 3) + 1).padStart(3, '0')}`, managingTaxOffice: `Thuế cơ sở ${(i % 3) + 1} ${PROVINCE.name.replace('Tỉnh', 'tỉnh')}`,
    registeredOn: e.registeredOn, status: (e.status === ('ACTIVE' as never) ? 'ACTIVE' : e.status === ('SUSPENDED' as never) ? 'SUSPENDED' : 'CLOSED') as never,
  }));
  for (const enterprise of activeEnterprises) {
    for (const period of [year - 1, year]) {
      if (enterprise.registeredOn > `${period}-01-01`) continue;
      const due = `${period}-01-30`;
      const paid = rng.chance(0.92);
      const o = obligation({ taxpayerPersonalNumber: null, taxpayerEnterpriseCode: enterprise.enterpriseCode, parcelId: null, dossierCode: null, noticeId: null,
        kind: 'BUSINESS_LICENSE_FEE' as never, period: String(period), amount: (enterprise.charterCapital ?? 0) > 10_000_000_000 ? 3_000_000 : 2_000_000,
        dueDate: due, status: (paid ? 'PAID' : 'UNPAID') as never });
      if (paid) pay(o, new Date(`${due}T00:00:00Z`));
    }
  }

  // ---- the rest of the dossier flow, so that volumes look like a center's ----------------------------------------------
  const target = Math.round(options.citizens * 1.2);
  const others = procedures.filter((p) => !['1.001193', '1.000894', '1.000656'].some((s) => p.code.startsWith(s)));
  while (drafts.length < target) {
    const procedure = rng.pick(others);
    const sector = procedure.handlingSector as unknown as Sector;
    const byEnterprise = (sector === 'BUSINESS_REGISTRATION' || sector === 'TAX') && activeEnterprises.length && rng.chance(0.7);
    const d = draft(procedure, byEnterprise ? { enterprise: rng.pick(activeEnterprises) } : { citizen: adult() }, randomTime(windowStart, now));
    pickStatus(d, sector);
  }
  // every lifecycle state at least once, however small the data set
  for (const status of Object.keys(PATH) as Status[]) {
    if (drafts.some((d) => d.status === status)) continue;
    const procedure = status === 'FINANCIAL_OBLIGATION' ? procedureByShort('1.004227') : rng.pick(others.filter((p) => p.onlineService !== ('NONE' as never)));
    draft(procedure, { citizen: adult() }, new Date(now.getTime() - rng.int(1, 3) * DAY_MS), status);
  }

  function pickStatus(d: DossierDraft, sector: Sector): Status {
    if (d.status) return d.status;
    const age = (now.getTime() - d.receivedAt.getTime()) / DAY_MS;
    const settled = age > Math.max(45, 3 * Number(d.procedure.processingDays));
    let status = rng.weighted(settled ? SETTLED : ONGOING);
    if (status === 'FINANCIAL_OBLIGATION' && sector !== 'LAND') status = 'IN_APPRAISAL';
    if (status === 'AWAITING_PARTNER' && sector === 'CIVIL_STATUS') status = 'IN_APPRAISAL';
    if (status === 'DRAFT' && age > 3) status = 'RECEIVED';
    d.status = status;
    return status;
  }

  // ---- number the dossiers, set their times and timelines --------------------------------------------------------------
  drafts.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  const counters = new Map<string, number>();
  const dossiers: Row<Dossier>[] = [];
  const events: Row<DossierEvent>[] = [];
  const documents = new DemoDocuments(new Random(options.seed + 16));
  const statistics = new Map<string, Map<string, RollupRow>>();
  const agencyLevel = new Map(reference.agencies.map((a) => [a.code, a.level as string]));
  for (const d of drafts) {
    const status = d.status ?? 'RECEIVED';
    const sector = d.procedure.handlingSector as unknown as Sector;
    const before = localIsoDate(d.receivedAt) < REFORM_DATE;
    const oldCommune = oldCommunesOf.get(d.communeCode)?.[0] ?? reference.oldCommunes[0].code;
    let receiving = CENTER;
    let handling = sector === 'LAND' ? LAND_OFFICE : sector === 'TAX' ? TAX_OFFICE : BUSINESS_OFFICE;
    if (sector === 'CIVIL_STATUS') {
      receiving = before ? oldCommuneDesk(oldCommune) : newCommuneDesk(d.communeCode);
      handling = civilStatusSection(before ? oldCommune : d.communeCode);
    } else if (sector === 'LAND' && before && rng.chance(0.7)) {
      receiving = oldDistrictDesk(districtOf.get(oldCommune)!);
      handling = districtLandBranch(districtOf.get(oldCommune)!);
    } else if (!before && rng.chance(0.25)) {
      receiving = newCommuneDesk(d.communeCode);
    }
    const online = d.procedure.onlineService !== ('NONE' as never) && (status === 'DRAFT' || status === 'INTAKE_REJECTED' || rng.chance(0.6));
    const localDay = localIsoDate(d.receivedAt);
    const counterKey = `${receiving}|${localDay}`;
    const sequence = (counters.get(counterKey) ?? 0) + 1;
    counters.set(counterKey, sequence);
    const code = formatDossierCode(receiving, new Date(`${localDay}T00:00:00Z`), sequence);
    const days = Number(d.procedure.processingDays);
    const received = status !== 'DRAFT' && status !== 'INTAKE_REJECTED';
    const appointmentAt = received ? calendar.appointment(d.receivedAt, days) : null;
    let resolvedAt: Date | null = null;
    let returnedAt: Date | null = null;
    let end = new Date(d.receivedAt.getTime() + (now.getTime() - d.receivedAt.getTime()) * (0.3 + rng.next() * 0.6));
    if (status === 'RESOLVED' || status === 'RETURNED') {
      const start = calendar.clockStart(d.receivedAt);
      resolvedAt = rng.chance(0.86)
        ? calendar.addWorkingMinutes(start, Math.max(30, Math.round(days * calendar.minutesPerDay * (0.35 + rng.next() * 0.65))))
        : calendar.addWorkingMinutes(appointmentAt!, rng.int(1, 5) * calendar.minutesPerDay);
      if (resolvedAt >= now) resolvedAt = new Date(d.receivedAt.getTime() + (now.getTime() - d.receivedAt.getTime()) * 0.5);
      end = resolvedAt;
      if (status === 'RETURNED') {
        returnedAt = calendar.addWorkingMinutes(resolvedAt, rng.int(10, 2 * calendar.minutesPerDay));
        if (returnedAt >= now) returnedAt = new Date(resolvedAt.getTime() + (now.getTime() - resolvedAt.getTime()) * 0.5);
        end = returnedAt;
      }
    } else if (FINISHED.has(status)) {
      end = new Date(d.receivedAt.getTime() + Math.min(now.getTime() - d.receivedAt.getTime(), rng.int(1, 10) * DAY_MS) * 0.9);
    }
    const levelOf = agencyLevel.get(handling) ?? 'PROVINCE';
    const supplementRequests = PATH[status].filter((step) => step === 'SUPPLEMENT_REQUESTED').length;
    const finishedAt = resolvedAt ?? (ENDS.has(status) ? end : null);
    const outcome = finishedAt
      ? decideOutcome({ receivedAt: d.receivedAt, finishedAt, appointmentAt, processingDays: days, pausedMinutes: 0, supplementRequests }, calendar)
      : null;
    const returnChannel = returnedAt ? (online && rng.chance(0.5) ? 'ELECTRONIC' : rng.chance(0.1) ? 'POSTAL' : 'COUNTER') : null;
    const ratedAt = returnedAt && rng.chance(0.6) ? new Date(Math.min(now.getTime() - 60_000, returnedAt.getTime() + rng.int(5, 600) * 60_000)) : null;
    const rating = ratedAt ? rng.weighted([['VERY_SATISFIED', 70], ['SATISFIED', 28], ['NOT_SATISFIED', 2]] as const) : null;
    const row: Row<Dossier> = {
      code, procedureCode: d.procedure.code, applicantName: d.applicantName, applicantPersonalNumber: d.personalNumber,
      applicantEnterpriseCode: d.enterpriseCode, receivingAgencyCode: receiving, handlingAgencyCode: handling,
      contactPhone: d.personalNumber && rng.chance(0.8) ? `09${String(rng.int(10_000_000, 99_999_999))}` : null, contactEmail: null,
      channel: (online ? 'ONLINE' : rng.chance(0.1) ? 'POSTAL' : 'COUNTER') as never, status: status as never, statusCode: statusCode(status),
      receivedAt: d.receivedAt, appointmentAt, resolvedAt, returnedAt, ruleSet: ruleSetAt(d.receivedAt),
      clockPausedAt: status === 'FINANCIAL_OBLIGATION' || status === 'SUPPLEMENT_REQUESTED' ? end ?? d.receivedAt : null,
      level: levelOf, pausedMinutes: 0, supplementRequests, apologyAppointmentAt: null, finishedAt, outcome: outcome as never,
      returnChannel: returnChannel as never, feeCollected: returnChannel === 'COUNTER' && Number(d.procedure.feeAmount) > 0 ? Number(d.procedure.feeAmount) : null,
      rating: rating as never, ratingReason: rating === 'NOT_SATISFIED' ? 'Thời gian chờ tại quầy lâu' : null, ratedAt,
      feeDue: Number(d.procedure.feeAmount), paidOnline: online && Number(d.procedure.feeAmount) > 0 && rng.chance(0.45),
      digitised: false, reusedData: false, paperResult: d.procedure.resultForm !== ('ELECTRONIC' as never),
      electronicResult: false, pendingHandoff: null,
    };
    // documents: the same draws as the flags they replace; the flags then follow from the documents made
    const wantsPaper = received && rng.chance(0.7);
    const wantsReuse = received && rng.chance(0.3);
    const issuesResult = returnChannel === 'ELECTRONIC' || (!!returnedAt && rng.chance(0.2));
    documents.add(row, { wantsPaper, wantsReuse, issuesResult, online, officer: officer(), receivingAgencyCode: receiving, handlingAgencyCode: handling });
    d.row = row;
    dossiers.push(row);
    for (const linked of d.linked) linked.dossierCode = code;
    const path = PATH[status];
    const timeline: { action: string; status: string; at: Date }[] = [];
    path.forEach((step, i) => {
      const at = i === 0 ? d.receivedAt : i === path.length - 1 ? end
        : new Date(d.receivedAt.getTime() + ((end.getTime() - d.receivedAt.getTime()) * i) / (path.length - 1));
      events.push({
        id: events.length + 1, dossierCode: code, at, action: ACTION[step], status: step as never, statusCode: statusCode(step),
        agencyCode: i < 2 || step === 'RETURNED' || step === 'INTAKE_REJECTED' ? receiving : handling, officerId: step === 'DRAFT' ? null : officer(),
        note: NOTE[step] ?? null,
      });
      timeline.push({ action: ACTION[step], status: step, at: events[events.length - 1].at });
    });
    for (const { day, increments } of countsOfDossier(row as Dossier, timeline, calendar)) accumulate(statistics, row as Dossier, day, increments);
  }
  for (const transaction of transactions) {
    const row = draftOfTransaction.get(transaction)?.row;
    transaction.handlingAgencyCode = row?.handlingAgencyCode ?? null;
    transaction.completedAt = transaction.status === ('CERTIFICATE_ISSUED' as never) ? row?.resolvedAt ?? null : null;
  }
  const dossierCounters: Row<DossierCodeCounter>[] = [...counters].map(([key, lastSequence]) => {
    const [unitCode, day] = key.split('|');
    return { unitCode, day: day.slice(2).replace(/-/g, ''), lastSequence };
  });

  const dataset: Dataset = {
    'single-window': {
      AdministrativeUnit: reference.units as Row<AdministrativeUnit>[], Agency: reference.agencies as Row<Agency>[], Procedure: procedures,
      Dossier: dossiers, DossierEvent: events, DossierCodeCounter: dossierCounters,
      DocumentContent: documents.contents, DossierDocument: documents.links,
      ...Object.fromEntries(ROLLUPS.map((r) => [r.entity.name, [...(statistics.get(r.entity.name)?.values() ?? [])]])),
    },
    'civil-status': { Citizen: citizens, CivilStatusRecord: records },
    'business-registration': { Enterprise: enterprises, BusinessLine: lines },
    land: { LandParcel: parcels, LandUseRight: rights, LandTransaction: transactions },
    tax: { TaxObligation: obligations, TaxNotice: notices, TaxPayment: payments, TaxProfile: profiles },
  };
  DOCUMENT_FILES.set(dataset, documents.files);
  return dataset;
}
