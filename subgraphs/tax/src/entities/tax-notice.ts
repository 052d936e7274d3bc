import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A payment notice (thông báo nộp tiền) listing the obligations of one dossier or period' })
@Entity('tax_notice')
@Index('UQ_tax_notice_notice_number', ['noticeNumber'], { unique: true })
@Index('IDX_tax_notice_dossier_code', ['dossierCode'])
export class TaxNotice {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Field({ description: 'Số thông báo' })
  @Column({ type: 'varchar', length: 30 })
  noticeNumber: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 40, nullable: true })
  dossierCode: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  taxpayerPersonalNumber: string | null;

  @Column({ type: 'varchar', length: 14, nullable: true })
  taxpayerEnterpriseCode: string | null;

  @Field()
  @Column({ type: 'varchar', length: 10 })
  taxOfficeCode: string;

  @Field({ description: 'YYYY-MM-DD' })
  @Column({ type: 'date' })
  issuedOn: string;

  @Field({ description: 'YYYY-MM-DD' })
  @Column({ type: 'date' })
  dueDate: string;

  @Field({ description: 'Tài khoản thu ngân sách nhà nước' })
  @Column({ type: 'varchar', length: 30 })
  treasuryAccount: string;

  @Field({ description: 'Reference to quote when paying' })
  @Column({ type: 'varchar', length: 40 })
  paymentReference: string;
}
