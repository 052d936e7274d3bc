import { randomInt } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  birthStanding, deathStanding, Filing, HandoffContext, HandoffHandlers, HandoffRejection, recordHandoffWrite, refusalReason, relationOnRecord,
  SendRequest, Standing, statusReport,
} from '@onestop/platform';
import { Citizen, Sex } from '../entities/citizen';
import { CivilStatusEventType, CivilStatusRecord } from '../entities/civil-status-record';
import { CivilStatusFollowUp } from '../entities/follow-up';

/** Who must answer each kind of registration before the dossier is resolved. */
const PARTNERS = ['police', 'social-insurance'] as const;

interface BirthRequested {
  childName: string;
  birthDate: string;
  sex: Sex;
  birthProvinceCode: string;
  communeCode: string;
  motherPersonalNumber: string;
  fatherPersonalNumber?: string;
  filing: Filing;
}

interface DeathRequested {
  personalNumber: string;
  deathDate: string;
  communeCode: string;
  declarantPersonalNumber: string;
  filing: Filing;
}

/** Whether a marriage between the two is in the register. */
async function marriedOnRecord(manager: EntityManager, a: string, b: string): Promise<boolean> {
  const records = manager.getRepository(CivilStatusRecord);
  return (await records.existsBy({ type: CivilStatusEventType.MARRIAGE, subjectPersonalNumber: a, secondPersonalNumber: b }))
    || records.existsBy({ type: CivilStatusEventType.MARRIAGE, subjectPersonalNumber: b, secondPersonalNumber: a });
}

/** The death declarant's standing, from the register: the applicant's relation to the deceased, unless staff filed it. */
async function deathStandingOf(manager: EntityManager, filing: Filing, deceased: Citizen): Promise<Standing> {
  if (filing.actor || !filing.applicantPersonalNumber) return deathStanding(filing, null);
  const applicant = await manager.getRepository(Citizen).findOneBy({ personalNumber: filing.applicantPersonalNumber });
  if (!applicant) return deathStanding(filing, null);
  return deathStanding(filing, relationOnRecord(deceased, applicant, await marriedOnRecord(manager, deceased.personalNumber, applicant.personalNumber)));
}

/** 3 digits province of birth registration, 1 century+sex, 2 year, 6 random (shared/domain.md). */
async function newPersonalNumber(manager: EntityManager, provinceCode: string, sex: Sex, birthDate: string): Promise<string> {
  const year = Number(birthDate.slice(0, 4));
  const century = Math.floor((year - 1900) / 100) * 2 + (sex === Sex.FEMALE ? 1 : 0);
  for (;;) {
    const candidate = `${provinceCode}${century}${birthDate.slice(2, 4)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
    if (!(await manager.getRepository(Citizen).existsBy({ personalNumber: candidate }))) return candidate;
  }
}

async function addRecord(manager: EntityManager, fields: Pick<CivilStatusRecord, 'type' | 'registeringUnitCode' | 'subjectPersonalNumber' | 'dossierCode' | 'applicantPersonalNumber' | 'note'>) {
  const registeredOn = new Date().toISOString().slice(0, 10);
  const bookNumber = `01/${registeredOn.slice(0, 4)}`;
  const last = await manager.getRepository(CivilStatusRecord).findOne({
    where: { registeringUnitCode: fields.registeringUnitCode, bookNumber }, order: { entryNumber: 'DESC' },
  });
  const entryNumber = (last?.entryNumber ?? 0) + 1;
  await manager.getRepository(CivilStatusRecord).insert({ ...fields, bookNumber, entryNumber, registeredOn, secondPersonalNumber: null });
  return { extractNumber: `${entryNumber}/${bookNumber}` };
}

const stopped = (dossierCode: string, reason: string) =>
  statusReport({ dossierCode, statusCode: 8, status: 'STOPPED', unitCode: 'civil-status', reason });
const noStanding = (dossierCode: string, standing: Extract<Standing, { ok: false }>) =>
  statusReport({ dossierCode, statusCode: 8, status: 'STOPPED', unitCode: 'civil-status', reason: refusalReason(standing) });
const awaitingPartners = (dossierCode: string, what: string) =>
  statusReport({ dossierCode, statusCode: 4, status: 'AWAITING_PARTNER', unitCode: 'civil-status', reason: what });

function toPartners(messageType: string, dossierCode: string, payload: Record<string, unknown>, officerId: string | null): SendRequest[] {
  return PARTNERS.map((recipient) => ({ messageType, recipient, correlationId: dossierCode, payload, officerId }));
}

/** Registers the birth, gives the child a personal number and tells police and social insurance. */
async function registerBirth({ envelope, manager, send }: HandoffContext<BirthRequested>): Promise<void> {
  const request = envelope.payload;
  const citizens = manager.getRepository(Citizen);
  const mother = await citizens.findOneBy({ personalNumber: request.motherPersonalNumber });
  if (!mother) return send(stopped(envelope.correlationId, `không tìm thấy người mẹ ${request.motherPersonalNumber} trong cơ sở dữ liệu hộ tịch`));
  const father = request.fatherPersonalNumber ?? null;
  const standing = birthStanding(request.filing, {
    mother: mother.personalNumber, father,
    fatherMarriedToMother: !!father && !request.filing.actor && await marriedOnRecord(manager, father, mother.personalNumber),
  });
  if (!standing.ok) return send(noStanding(envelope.correlationId, standing));
  if (request.birthDate > new Date().toISOString().slice(0, 10)) return send(stopped(envelope.correlationId, 'ngày sinh ở tương lai'));
  const personalNumber = await newPersonalNumber(manager, request.birthProvinceCode, request.sex, request.birthDate);
  await citizens.insert({
    personalNumber, fullName: request.childName, birthDate: request.birthDate, sex: request.sex, ethnicity: mother.ethnicity,
    nationality: 'VN', placeOfOrigin: mother.placeOfOrigin, permanentAddress: mother.permanentAddress, residenceCommuneCode: request.communeCode,
    fatherPersonalNumber: request.fatherPersonalNumber ?? null, motherPersonalNumber: mother.personalNumber, deathDate: null,
  });
  const { extractNumber } = await addRecord(manager, {
    type: CivilStatusEventType.BIRTH, registeringUnitCode: request.communeCode, subjectPersonalNumber: personalNumber,
    dossierCode: envelope.correlationId, applicantPersonalNumber: request.filing.applicantPersonalNumber, note: null,
  });
  await recordHandoffWrite(manager, 'civil-status', envelope, [
    { subject: personalNumber, fields: ['Citizen.birth'] },
    { subject: mother.personalNumber, fields: ['Citizen.child'] },
    { subject: father, fields: ['Citizen.child'] },
  ]);
  for (const message of toPartners('civil-status.birth-registered', envelope.correlationId, {
    personalNumber, fullName: request.childName, birthDate: request.birthDate, sex: request.sex,
    motherPersonalNumber: mother.personalNumber, fatherPersonalNumber: request.fatherPersonalNumber ?? null,
    extractNumber, residenceCommuneCode: request.communeCode,
  }, envelope.officerId)) await send(message);
  await send(awaitingPartners(envelope.correlationId, `Đã đăng ký khai sinh (trích lục ${extractNumber}); chờ đăng ký thường trú và cấp thẻ BHYT`));
}

/** Registers the death and tells police (residence) and social insurance (funeral allowance). */
async function registerDeath({ envelope, manager, send }: HandoffContext<DeathRequested>): Promise<void> {
  const request = envelope.payload;
  const citizens = manager.getRepository(Citizen);
  const deceased = await citizens.findOneBy({ personalNumber: request.personalNumber });
  if (!deceased) return send(stopped(envelope.correlationId, `không tìm thấy công dân ${request.personalNumber}`));
  // Standing first: a stranger learns nothing about the person from the refusal.
  const standing = await deathStandingOf(manager, request.filing, deceased);
  if (!standing.ok) return send(noStanding(envelope.correlationId, standing));
  if (deceased.deathDate) return send(stopped(envelope.correlationId, `công dân ${request.personalNumber} đã được đăng ký khai tử`));
  if (request.deathDate < deceased.birthDate) return send(stopped(envelope.correlationId, 'ngày mất trước ngày sinh'));
  await citizens.update({ personalNumber: deceased.personalNumber }, { deathDate: request.deathDate });
  const { extractNumber } = await addRecord(manager, {
    type: CivilStatusEventType.DEATH, registeringUnitCode: request.communeCode, subjectPersonalNumber: deceased.personalNumber,
    dossierCode: envelope.correlationId, applicantPersonalNumber: request.filing.applicantPersonalNumber, note: `Người đi khai tử: ${request.declarantPersonalNumber}`,
  });
  await recordHandoffWrite(manager, 'civil-status', envelope, [{ subject: deceased.personalNumber, fields: ['Citizen.deathDate'] }]);
  for (const message of toPartners('civil-status.death-registered', envelope.correlationId, {
    personalNumber: deceased.personalNumber, deathDate: request.deathDate, extractNumber,
  }, envelope.officerId)) await send(message);
  await send(awaitingPartners(envelope.correlationId, `Đã đăng ký khai tử (trích lục ${extractNumber}); chờ xóa đăng ký thường trú và giải quyết mai táng phí`));
}

/** A partner's answer: recorded once per agency; when every partner has answered, the dossier is resolved. */
function recordAnswer(type: CivilStatusEventType, reference: (payload: Record<string, unknown>) => string | null) {
  return async ({ envelope, manager, send }: HandoffContext<Record<string, unknown>>): Promise<void> => {
    const record = await manager.getRepository(CivilStatusRecord).findOneBy({ dossierCode: envelope.correlationId, type });
    if (!record) throw new HandoffRejection(`no ${type} registration for dossier ${envelope.correlationId}`);
    if (record.subjectPersonalNumber !== envelope.payload.personalNumber) {
      throw new HandoffRejection(`answer names ${String(envelope.payload.personalNumber)}, the registration is for ${record.subjectPersonalNumber}`);
    }
    const followUps = manager.getRepository(CivilStatusFollowUp);
    if (await followUps.existsBy({ recordId: record.id, agency: envelope.sender })) {
      throw new HandoffRejection(`${envelope.sender} already answered for dossier ${envelope.correlationId}`);
    }
    await followUps.insert({ recordId: record.id, agency: envelope.sender, result: envelope.messageType, reference: reference(envelope.payload), at: new Date() });
    await recordHandoffWrite(manager, 'civil-status', envelope, [{ subject: record.subjectPersonalNumber, fields: [`CivilStatusFollowUp.${envelope.messageType}`] }]);
    const answered = await followUps.countBy({ recordId: record.id });
    if (answered >= PARTNERS.length) {
      await send(statusReport({ dossierCode: envelope.correlationId, statusCode: 9, status: 'RESOLVED', unitCode: 'civil-status', reason: 'Các cơ quan liên thông đã trả kết quả' }));
    }
  };
}

export const civilStatusHandoffs: HandoffHandlers = {
  'civil-status.birth-registration-requested': registerBirth,
  'civil-status.death-registration-requested': registerDeath,
  'police.residence-registered': recordAnswer(CivilStatusEventType.BIRTH, () => null),
  'social-insurance.health-card-issued': recordAnswer(CivilStatusEventType.BIRTH, (p) => String(p.cardNumber)),
  'police.residence-deregistered': recordAnswer(CivilStatusEventType.DEATH, () => null),
  'social-insurance.funeral-allowance-decided': recordAnswer(CivilStatusEventType.DEATH, (p) => String(p.decisionNumber)),
};
