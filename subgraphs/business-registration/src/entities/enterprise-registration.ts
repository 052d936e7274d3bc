import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { decimalToNumber } from '@onestop/platform';

export enum EnterpriseRegistrationStatus {
  AWAITING_TAX_CODE = 'AWAITING_TAX_CODE',
  REGISTERED = 'REGISTERED',
  REJECTED = 'REJECTED',
}
registerEnumType(EnterpriseRegistrationStatus, { name: 'EnterpriseRegistrationStatus' });

@ObjectType({ description: 'An application to found an enterprise, from receipt to the enterprise code or a refusal' })
@Entity('enterprise_registration')
@Index('IDX_enterprise_registration_status', ['status'])
export class EnterpriseRegistration {
  @Field()
  @PrimaryColumn({ type: 'varchar', length: 40 })
  dossierCode: string;

  @Field()
  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Field()
  @Column({ type: 'varchar', length: 30 })
  type: string;

  @Column({ type: 'varchar', length: 300 })
  address: string;

  @Column({ type: 'varchar', length: 5 })
  communeCode: string;

  @Column({ type: 'varchar', length: 12 })
  legalRepresentativePersonalNumber: string;

  /** The dossier's applicant (from the handoff's signed filing): a citizen reads the application only as this applicant. */
  @Column({ type: 'varchar', length: 12, nullable: true })
  applicantPersonalNumber: string | null;

  @Field(() => Float)
  @Column({ type: 'decimal', precision: 18, scale: 0, transformer: decimalToNumber })
  charterCapital: number;

  /** JSON list of { vsicCode, main }. */
  @Column({ type: 'text' })
  businessLines: string;

  @Field(() => EnterpriseRegistrationStatus)
  @Column({ type: 'varchar', length: 20 })
  status: EnterpriseRegistrationStatus;

  @Field(() => String, { nullable: true, description: 'Assigned by tax: the enterprise code = tax code' })
  @Column({ type: 'varchar', length: 14, nullable: true })
  enterpriseCode: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was refused' })
  @Column({ type: 'varchar', length: 1000, nullable: true })
  reason: string | null;

  @Field()
  @Column({ type: 'datetime' })
  receivedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'datetime', nullable: true })
  decidedAt: Date | null;
}
