import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { decimalToNumber } from '@onestop/platform';

export enum TaxPaymentChannel {
  TREASURY_COUNTER = 'TREASURY_COUNTER',
  BANK_TRANSFER = 'BANK_TRANSFER',
  NATIONAL_PUBLIC_SERVICE_PORTAL = 'NATIONAL_PUBLIC_SERVICE_PORTAL',
}
registerEnumType(TaxPaymentChannel, { name: 'TaxPaymentChannel' });

@ObjectType({ description: 'A payment received against an obligation (chứng từ nộp tiền)' })
@Entity('tax_payment')
@Index('IDX_tax_payment_obligation_id', ['obligationId'])
@Index('UQ_tax_payment_receipt_number', ['receiptNumber'], { unique: true })
export class TaxPayment {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer' })
  obligationId: number;

  @Field()
  @Column({ type: 'varchar', length: 30 })
  receiptNumber: string;

  @Field(() => Float)
  @Column({ type: 'decimal', precision: 18, scale: 0, transformer: decimalToNumber })
  amount: number;

  @Field()
  @Column({ type: 'datetime' })
  paidAt: Date;

  @Field(() => TaxPaymentChannel)
  @Column({ type: 'varchar', length: 32 })
  channel: TaxPaymentChannel;
}
