import { Field, Float, InputType, registerEnumType } from 'type-graphql';
import { BadUserInputError, Filing, SendRequest } from '@onestop/platform';
import { AgencySector } from '../entities/agency';
import { Procedure } from '../entities/procedure';

export enum LandTransferKind {
  TRANSFER = 'TRANSFER',
  GIFT = 'GIFT',
  INHERITANCE = 'INHERITANCE',
}
registerEnumType(LandTransferKind, { name: 'LandTransferKind', description: 'Chuyển nhượng, tặng cho, thừa kế' });

export enum NewEnterpriseType {
  PRIVATE_ENTERPRISE = 'PRIVATE_ENTERPRISE',
  SINGLE_MEMBER_LLC = 'SINGLE_MEMBER_LLC',
  MULTI_MEMBER_LLC = 'MULTI_MEMBER_LLC',
  JOINT_STOCK_COMPANY = 'JOINT_STOCK_COMPANY',
  PARTNERSHIP = 'PARTNERSHIP',
}
registerEnumType(NewEnterpriseType, { name: 'NewEnterpriseType' });

export enum NewbornSex {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}
registerEnumType(NewbornSex, { name: 'NewbornSex' });

@InputType({ description: 'What the land registration office needs for a transfer, gift or inheritance of a land-use right' })
export class LandTransferInput {
  @Field({ description: 'Parcel id {commune}-{map sheet}-{parcel number}' })
  parcelId: string;

  @Field(() => LandTransferKind)
  transactionType: LandTransferKind;

  @Field()
  transferorPersonalNumber: string;

  @Field()
  transfereePersonalNumber: string;

  @Field(() => Float, { description: 'Contract value in đồng (0 for a gift or inheritance)' })
  contractValue: number;
}

@InputType()
export class BusinessLineInput {
  @Field({ description: 'VSIC 2018 level-4 code' })
  vsicCode: string;

  @Field()
  main: boolean;
}

@InputType({ description: 'An application to found an enterprise (Decree 168/2025)' })
export class EnterpriseRegistrationInput {
  @Field()
  name: string;

  @Field(() => NewEnterpriseType)
  type: NewEnterpriseType;

  @Field()
  address: string;

  @Field()
  communeCode: string;

  @Field()
  legalRepresentativePersonalNumber: string;

  @Field(() => Float, { description: 'Vốn điều lệ, đồng' })
  charterCapital: number;

  @Field(() => [BusinessLineInput])
  businessLines: BusinessLineInput[];
}

@InputType({ description: 'Đăng ký khai sinh, with permanent residence and health-insurance card (liên thông)' })
export class BirthRegistrationInput {
  @Field()
  childName: string;

  @Field({ description: 'YYYY-MM-DD' })
  birthDate: string;

  @Field(() => NewbornSex)
  sex: NewbornSex;

  @Field({ description: '3-digit province code of the birth registration' })
  birthProvinceCode: string;

  @Field({ description: 'Commune of registration and residence' })
  communeCode: string;

  @Field()
  motherPersonalNumber: string;

  @Field(() => String, { nullable: true })
  fatherPersonalNumber?: string | null;
}

@InputType({ description: 'Đăng ký khai tử, with residence deregistration and funeral allowance (liên thông)' })
export class DeathRegistrationInput {
  @Field()
  personalNumber: string;

  @Field({ description: 'YYYY-MM-DD' })
  deathDate: string;

  @Field()
  communeCode: string;

  @Field()
  declarantPersonalNumber: string;
}

export interface HandoffInputs {
  landTransfer?: LandTransferInput | null;
  enterpriseRegistration?: EnterpriseRegistrationInput | null;
  birthRegistration?: BirthRegistrationInput | null;
  deathRegistration?: DeathRegistrationInput | null;
}

/** The sector each kind of handoff input belongs to, and the message it becomes. */
const KINDS: { field: keyof HandoffInputs; sector: AgencySector; messageType: string; recipient: string; carriesProcedure: boolean; carriesHandlingAgency?: boolean }[] = [
  // the land office keeps the handling agency: its officers act only on their own agency's transactions
  { field: 'landTransfer', sector: AgencySector.LAND, messageType: 'land.transfer-requested', recipient: 'land', carriesProcedure: true, carriesHandlingAgency: true },
  {
    field: 'enterpriseRegistration', sector: AgencySector.BUSINESS_REGISTRATION, messageType: 'business.registration-requested',
    recipient: 'business-registration', carriesProcedure: true,
  },
  {
    field: 'birthRegistration', sector: AgencySector.CIVIL_STATUS, messageType: 'civil-status.birth-registration-requested',
    recipient: 'civil-status', carriesProcedure: false,
  },
  {
    field: 'deathRegistration', sector: AgencySector.CIVIL_STATUS, messageType: 'civil-status.death-registration-requested',
    recipient: 'civil-status', carriesProcedure: false,
  },
];

/** Drops null/undefined fields: the contracts leave optional fields out rather than null. */
function compact<T extends object>(value: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value, (_key, v) => (v === null ? undefined : v)));
}

/**
 * The handoff a dossier starts, if its submission carries one: at most one kind, matching the procedure's sector.
 * Returns the request and the input field it came from (for error paths). `filing` says who filed it, for the
 * receiving agency's standing check.
 */
export function handoffForSubmission(procedure: Procedure, inputs: HandoffInputs, dossier: { code: string; handlingAgencyCode: string }, officerId: string | null, filing: Filing):
  { request: SendRequest; field: string } | null {
  const given = KINDS.filter((kind) => inputs[kind.field]);
  if (given.length > 1) {
    throw new BadUserInputError(`input.${given[1].field}`, `give at most one of ${KINDS.map((k) => k.field).join(', ')}`);
  }
  const kind = given[0];
  if (!kind) return null;
  if (kind.sector !== procedure.handlingSector) {
    throw new BadUserInputError(`input.${kind.field}`, `procedure ${procedure.code} is handled by ${procedure.handlingSector}, not ${kind.sector}`);
  }
  // `filing` last: set by the server from the verified caller, it cannot be supplied through the input.
  const payload = {
    ...(kind.carriesProcedure ? { procedureCode: procedure.code } : {}),
    ...(kind.carriesHandlingAgency ? { handlingAgencyCode: dossier.handlingAgencyCode } : {}),
    ...compact(inputs[kind.field]!),
    filing,
  };
  return {
    field: `input.${kind.field}`,
    request: { messageType: kind.messageType, recipient: kind.recipient, correlationId: dossier.code, officerId: officerId ?? null, payload },
  };
}
