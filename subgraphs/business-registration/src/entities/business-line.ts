import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A registered line of business (ngành nghề kinh doanh) by VSIC 2018 code' })
@Entity('enterprise_business_line')
@Index('IDX_enterprise_business_line_enterprise_code', ['enterpriseCode'])
@Index('IDX_enterprise_business_line_vsic_code', ['vsicCode'])
export class BusinessLine {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 14 })
  enterpriseCode: string;

  @Field({ description: 'VSIC 2018 code, 4 digits' })
  @Column({ type: 'varchar', length: 5 })
  vsicCode: string;

  @Field()
  @Column({ type: 'varchar', length: 255 })
  description: string;

  @Field({ description: 'Ngành, nghề kinh doanh chính' })
  @Column({ type: 'boolean', default: false })
  isMain: boolean;
}
