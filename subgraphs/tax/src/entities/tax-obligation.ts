import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { decimalToNumber } from '@onestop/platform';

export enum TaxObligationKind {
  LAND_USE_FEE = 'LAND_USE_FEE',
  REGISTRATION_FEE = 'REGISTRATION_FEE',
  PERSONAL_INCOME_TAX = 'PERSONAL_INCOME_TAX',
  LAND_RENT = 'LAND_RENT',
  NON_AGRICULTURAL_LAND_TAX = 'NON_AGRICULTURAL_LAND_TAX',
  BUSINESS_LICENSE_FEE = 'BUSINESS_LICENSE_FEE',
}
registerEnumType(TaxObligationKind, { name: 'TaxObligationKind' });

export enum TaxObligationStatus {
  UNPAID = 'UNPAID',
  PAID = 'PAID',
  EXEMPT = 'EXEMPT',
}
registerEnumType(TaxObligationStatus, { name: 'TaxObligationStatus' });

@ObjectType({ description: 'An amount a taxpayer owes (nghĩa vụ tài chính): a tax, fee or charge for a period, parcel or dossier' })
@Entity('tax_obligation')
@Index('IDX_tax_obligation_taxpayer_personal_number', ['taxpayerPersonalNumber'])
@Index('IDX_tax_obligation_taxpayer_enterprise_code', ['taxpayerEnterpriseCode'])
@Index('IDX_tax_obligation_parcel_id', ['parcelId'])
@Index('IDX_tax_obligation_dossier_code', ['dossierCode'])
@Index('IDX_tax_obligation_notice_id', ['noticeId'])
export class TaxObligation {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 12, nullable: true })
  taxpayerPersonalNumber: string | null;

  @Column({ type: 'varchar', length: 14, nullable: true })
  taxpayerEnterpriseCode: string | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  parcelId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 40, nullable: true })
  dossierCode: string | null;

  @Column({ type: 'integer', nullable: true })
  noticeId: number | null;

  @Field(() => TaxObligationKind)
  @Column({ type: 'varchar', length: 30 })
  kind: TaxObligationKind;

  @Field({ description: 'Kỳ tính thuế, e.g. 2025 or 2025-Q3' })
  @Column({ type: 'varchar', length: 7 })
  period: string;

  @Field(() => Float, { description: 'Đồng' })
  @Column({ type: 'decimal', precision: 18, scale: 0, transformer: decimalToNumber })
  amount: number;

  @Field({ description: 'Hạn nộp, YYYY-MM-DD' })
  @Column({ type: 'date' })
  dueDate: string;

  @Field(() => TaxObligationStatus)
  @Column({ type: 'varchar', length: 8 })
  status: TaxObligationStatus;
}
