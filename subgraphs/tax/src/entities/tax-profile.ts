import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum TaxProfileStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  CLOSED = 'CLOSED',
}
registerEnumType(TaxProfileStatus, { name: 'TaxProfileStatus' });

@ObjectType({ description: 'An enterprise\'s tax registration: which tax office manages it' })
@Entity('tax_profile')
export class TaxProfile {
  @Field()
  @PrimaryColumn({ type: 'varchar', length: 14 })
  enterpriseCode: string;

  @Field()
  @Column({ type: 'varchar', length: 10 })
  taxOfficeCode: string;

  @Field({ description: 'Cơ quan thuế quản lý' })
  @Column({ type: 'varchar', length: 150 })
  managingTaxOffice: string;

  @Field({ description: 'YYYY-MM-DD' })
  @Column({ type: 'date' })
  registeredOn: string;

  @Field(() => TaxProfileStatus)
  @Column({ type: 'varchar', length: 10 })
  status: TaxProfileStatus;
}
