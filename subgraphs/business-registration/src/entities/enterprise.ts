import { Directive, Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { decimalToNumber } from '@onestop/platform';

export enum EnterpriseType {
  PRIVATE_ENTERPRISE = 'PRIVATE_ENTERPRISE',
  SINGLE_MEMBER_LLC = 'SINGLE_MEMBER_LLC',
  MULTI_MEMBER_LLC = 'MULTI_MEMBER_LLC',
  JOINT_STOCK_COMPANY = 'JOINT_STOCK_COMPANY',
  PARTNERSHIP = 'PARTNERSHIP',
  BRANCH = 'BRANCH',
  REPRESENTATIVE_OFFICE = 'REPRESENTATIVE_OFFICE',
}
registerEnumType(EnterpriseType, { name: 'EnterpriseType', description: 'Loại hình doanh nghiệp, or a dependent unit (branch, representative office)' });

export enum EnterpriseStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  DISSOLVING = 'DISSOLVING',
  DISSOLVED = 'DISSOLVED',
  BANKRUPT = 'BANKRUPT',
}
registerEnumType(EnterpriseStatus, { name: 'EnterpriseStatus' });

@ObjectType({ description: 'An enterprise or dependent unit in the business register; its enterprise code is also its tax code' })
@Directive('@key(fields: "enterpriseCode")')
@Entity('enterprise')
@Index('IDX_enterprise_legal_representative_personal_number', ['legalRepresentativePersonalNumber'])
@Index('IDX_enterprise_head_office_commune_code', ['headOfficeCommuneCode'])
@Index('IDX_enterprise_parent_enterprise_code', ['parentEnterpriseCode'])
@Index('IDX_enterprise_registration_dossier_code', ['registrationDossierCode'])
@Index('IDX_enterprise_name', ['name'])
export class Enterprise {
  @Field({ description: 'Mã số doanh nghiệp: 10 digits, -NNN for a dependent unit' })
  @PrimaryColumn({ type: 'varchar', length: 14 })
  enterpriseCode: string;

  @Field({ description: 'Tên doanh nghiệp' })
  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  foreignName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 100, nullable: true })
  shortName: string | null;

  @Field(() => EnterpriseType)
  @Column({ type: 'varchar', length: 30 })
  type: EnterpriseType;

  @Field(() => EnterpriseStatus)
  @Column({ type: 'varchar', length: 12 })
  status: EnterpriseStatus;

  @Field({ description: 'Địa chỉ trụ sở chính' })
  @Column({ type: 'varchar', length: 255 })
  headOfficeAddress: string;

  @Field()
  @Column({ type: 'varchar', length: 5 })
  headOfficeCommuneCode: string;

  @Field(() => Float, { nullable: true, description: 'Vốn điều lệ in đồng; none for dependent units' })
  @Column({ type: 'decimal', precision: 18, scale: 0, nullable: true, transformer: decimalToNumber })
  charterCapital: number | null;

  @Field({ description: 'First registration, YYYY-MM-DD' })
  @Column({ type: 'date' })
  registeredOn: string;

  @Column({ type: 'varchar', length: 12 })
  legalRepresentativePersonalNumber: string;

  @Column({ type: 'varchar', length: 14, nullable: true })
  parentEnterpriseCode: string | null;

  @Field(() => String, { nullable: true, description: 'The single-window dossier it was registered through' })
  @Column({ type: 'varchar', length: 40, nullable: true })
  registrationDossierCode: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 120, nullable: true })
  email: string | null;
}
