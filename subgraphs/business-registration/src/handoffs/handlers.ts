import { EntityManager } from 'typeorm';
import {
  enterpriseRegistrationStanding, Filing, HandoffContext, HandoffHandlers, HandoffRejection, recordHandoffWrite, refusalReason, rowLock, statusReport,
} from '@onestop/platform';
import { BusinessLine } from '../entities/business-line';
import { Enterprise, EnterpriseStatus, EnterpriseType } from '../entities/enterprise';
import { EnterpriseRegistration, EnterpriseRegistrationStatus } from '../entities/enterprise-registration';

interface RegistrationRequested {
  procedureCode: string;
  name: string;
  type: string;
  address: string;
  communeCode: string;
  legalRepresentativePersonalNumber: string;
  charterCapital: number;
  businessLines: { vsicCode: string; main: boolean }[];
  filing: Filing;
}

async function pendingRegistration(manager: EntityManager, dossierCode: string): Promise<EnterpriseRegistration> {
  const registration = await manager.getRepository(EnterpriseRegistration).findOne({ where: { dossierCode }, lock: rowLock(manager) });
  if (!registration) throw new HandoffRejection(`no enterprise registration for dossier ${dossierCode}`);
  if (registration.status !== EnterpriseRegistrationStatus.AWAITING_TAX_CODE) {
    throw new HandoffRejection(`enterprise registration ${dossierCode} is already ${registration.status}`);
  }
  return registration;
}

/** Checks the application (one main line, a name not already taken), then asks tax for the enterprise code. */
async function receiveApplication({ envelope, manager, send }: HandoffContext<RegistrationRequested>): Promise<void> {
  const { filing, ...application } = envelope.payload;
  const standing = enterpriseRegistrationStanding(filing, application.legalRepresentativePersonalNumber);
  // No standing: refused before any effect, the reason back on the dossier; nothing is registered or sent to tax.
  if (!standing.ok) {
    await send(statusReport({ dossierCode: envelope.correlationId, statusCode: 8, status: 'STOPPED', unitCode: 'business-registration', reason: refusalReason(standing) }));
    return;
  }
  const registrations = manager.getRepository(EnterpriseRegistration);
  if (await registrations.existsBy({ dossierCode: envelope.correlationId })) {
    throw new HandoffRejection(`dossier ${envelope.correlationId} already has an enterprise registration`);
  }
  let refusal: string | null = null;
  if (application.businessLines.filter((line) => line.main).length !== 1) refusal = 'phải có đúng một ngành, nghề kinh doanh chính';
  else if (await manager.getRepository(Enterprise).existsBy({ name: application.name })) refusal = `tên doanh nghiệp "${application.name}" đã được sử dụng`;
  await registrations.insert({
    dossierCode: envelope.correlationId, name: application.name, type: application.type, address: application.address,
    communeCode: application.communeCode, legalRepresentativePersonalNumber: application.legalRepresentativePersonalNumber,
    applicantPersonalNumber: filing.applicantPersonalNumber, charterCapital: application.charterCapital, businessLines: JSON.stringify(application.businessLines),
    status: refusal ? EnterpriseRegistrationStatus.REJECTED : EnterpriseRegistrationStatus.AWAITING_TAX_CODE,
    enterpriseCode: null, reason: refusal, receivedAt: new Date(), decidedAt: refusal ? new Date() : null,
  });
  if (refusal) {
    await send(statusReport({ dossierCode: envelope.correlationId, statusCode: 8, status: 'STOPPED', unitCode: 'business-registration', reason: refusal }));
    return;
  }
  await send({
    messageType: 'business.enterprise-registration', recipient: 'tax', correlationId: envelope.correlationId,
    officerId: envelope.officerId, payload: { ...application },
  });
  await send(statusReport({
    dossierCode: envelope.correlationId, statusCode: 4, status: 'AWAITING_PARTNER', unitCode: 'business-registration',
    reason: 'Đề nghị cơ quan thuế cấp mã số doanh nghiệp',
  }));
}

/** Tax assigned the code: the enterprise enters the register with its lines, and the dossier is resolved. */
async function registerWithCode({ envelope, manager, send }: HandoffContext<{ enterpriseCode: string; managingTaxOffice: string }>): Promise<void> {
  const registration = await pendingRegistration(manager, envelope.correlationId);
  const code = envelope.payload.enterpriseCode;
  if (await manager.getRepository(Enterprise).existsBy({ enterpriseCode: code })) {
    throw new HandoffRejection(`enterprise code ${code} is already in the register`);
  }
  const today = new Date().toISOString().slice(0, 10);
  await manager.getRepository(Enterprise).insert({
    enterpriseCode: code, name: registration.name, foreignName: null, shortName: null, type: registration.type as EnterpriseType,
    status: EnterpriseStatus.ACTIVE, headOfficeAddress: registration.address.slice(0, 255), headOfficeCommuneCode: registration.communeCode,
    charterCapital: registration.charterCapital, registeredOn: today,
    legalRepresentativePersonalNumber: registration.legalRepresentativePersonalNumber, parentEnterpriseCode: null,
    registrationDossierCode: registration.dossierCode, phone: null, email: null,
  });
  const lines = JSON.parse(registration.businessLines) as { vsicCode: string; main: boolean }[];
  const known = new Map((await manager.getRepository(BusinessLine).find({ select: { vsicCode: true, description: true } }))
    .map((line) => [line.vsicCode, line.description]));
  await manager.getRepository(BusinessLine).insert(lines.map((line) => ({
    enterpriseCode: code, vsicCode: line.vsicCode, description: known.get(line.vsicCode) ?? `Ngành VSIC ${line.vsicCode}`, isMain: line.main,
  })));
  await recordHandoffWrite(manager, 'business-registration', envelope, [{ subject: registration.legalRepresentativePersonalNumber, fields: ['Enterprise.legalRepresentative'] }]);
  registration.status = EnterpriseRegistrationStatus.REGISTERED;
  registration.enterpriseCode = code;
  registration.decidedAt = new Date();
  await manager.getRepository(EnterpriseRegistration).save(registration);
  await send(statusReport({
    dossierCode: registration.dossierCode, statusCode: 9, status: 'RESOLVED', unitCode: 'business-registration',
    reason: `Cấp Giấy chứng nhận đăng ký doanh nghiệp, mã số ${code}`,
  }));
}

async function recordRefusal({ envelope, manager, send }: HandoffContext<{ reason: string }>): Promise<void> {
  const registration = await pendingRegistration(manager, envelope.correlationId);
  registration.status = EnterpriseRegistrationStatus.REJECTED;
  registration.reason = envelope.payload.reason.slice(0, 1000);
  registration.decidedAt = new Date();
  await manager.getRepository(EnterpriseRegistration).save(registration);
  await send(statusReport({
    dossierCode: registration.dossierCode, statusCode: 8, status: 'STOPPED', unitCode: 'business-registration',
    reason: `Cơ quan thuế từ chối cấp mã số: ${envelope.payload.reason}`,
  }));
}

export const businessRegistrationHandoffs: HandoffHandlers = {
  'business.registration-requested': receiveApplication,
  'tax.enterprise-code-assigned': registerWithCode,
  'tax.enterprise-registration-rejected': recordRefusal,
};
