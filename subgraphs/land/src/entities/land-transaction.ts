import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { decimalToNumber } from '@onestop/platform';

export enum LandTransactionType {
  TRANSFER = 'TRANSFER',
  GIFT = 'GIFT',
  INHERITANCE = 'INHERITANCE',
  MORTGAGE = 'MORTGAGE',
  FIRST_REGISTRATION = 'FIRST_REGISTRATION',
}
registerEnumType(LandTransactionType, { name: 'LandTransactionType', description: 'Chuyển nhượng, tặng cho, thừa kế, thế chấp, đăng ký lần đầu' });

export enum LandTransactionStatus {
  APPRAISING = 'APPRAISING',
  AWAITING_FINANCIAL_OBLIGATION = 'AWAITING_FINANCIAL_OBLIGATION',
  TAX_SUPPLEMENT_REQUESTED = 'TAX_SUPPLEMENT_REQUESTED',
  OBLIGATION_PAID = 'OBLIGATION_PAID',
  CERTIFICATE_ISSUED = 'CERTIFICATE_ISSUED',
  REJECTED = 'REJECTED',
}
registerEnumType(LandTransactionStatus, { name: 'LandTransactionStatus' });

@ObjectType({ description: 'A registration of change (đăng ký biến động) handled by the land registration office for a dossier' })
@Entity('land_transaction')
@Index('UQ_land_transaction_dossier_code', ['dossierCode'], { unique: true })
@Index('IDX_land_transaction_parcel_id', ['parcelId'])
export class LandTransaction {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 40 })
  dossierCode: string;

  @Column({ type: 'varchar', length: 24 })
  parcelId: string;

  @Field(() => LandTransactionType)
  @Column({ type: 'varchar', length: 20 })
  type: LandTransactionType;

  @Column({ type: 'varchar', length: 12, nullable: true })
  transferorPersonalNumber: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  transfereePersonalNumber: string | null;

  @Field(() => Float, { nullable: true, description: 'Contract value in đồng' })
  @Column({ type: 'decimal', precision: 18, scale: 0, nullable: true, transformer: decimalToNumber })
  contractValue: number | null;

  @Field(() => LandTransactionStatus)
  @Column({ type: 'varchar', length: 32 })
  status: LandTransactionStatus;

  @Field()
  @Column({ type: 'datetime' })
  submittedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'datetime', nullable: true })
  completedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Tax payment notice for this transaction' })
  @Column({ type: 'varchar', length: 30, nullable: true })
  taxNoticeNumber: string | null;

  @Field(() => Float, { nullable: true, description: 'Financial obligations notified by tax, đồng' })
  @Column({ type: 'decimal', precision: 18, scale: 0, nullable: true, transformer: decimalToNumber })
  taxAmount: number | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'datetime', nullable: true })
  taxPaidAt: Date | null;

  /** The land office handling the dossier (single window's handling agency): its officers alone act on it. */
  @Column({ type: 'varchar', length: 30, nullable: true })
  handlingAgencyCode: string | null;

  @Field(() => String, { nullable: true, description: 'Why tax asked for more, or why the transaction was refused' })
  @Column({ type: 'varchar', length: 1000, nullable: true })
  note: string | null;
}
