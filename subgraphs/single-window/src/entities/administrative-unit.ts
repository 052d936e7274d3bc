import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum AdministrativeLevel {
  PROVINCE = 'PROVINCE',
  DISTRICT = 'DISTRICT',
  COMMUNE = 'COMMUNE',
}
registerEnumType(AdministrativeLevel, {
  name: 'AdministrativeLevel',
  description: 'Tỉnh / huyện / xã. Districts were abolished on 2025-07-01 but remain in older data.',
});

@ObjectType({ description: 'A province, district or commune, valid over a period so that both the three-level (before 2025-07-01) and the two-level structure fit.' })
@Directive('@key(fields: "code")')
@Entity('administrative_unit')
@Index('IDX_administrative_unit_parent_code', ['parentCode'])
export class AdministrativeUnit {
  @Field({ description: 'Statistical code: 2 digits province, 3 district, 5 commune' })
  @PrimaryColumn({ type: 'varchar', length: 10 })
  code: string;

  @Field()
  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Field(() => AdministrativeLevel)
  @Column({ type: 'varchar', length: 10 })
  level: AdministrativeLevel;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 10, nullable: true })
  parentCode: string | null;

  @Field({ description: 'YYYY-MM-DD' })
  @Column({ type: 'date' })
  validFrom: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; null while the unit exists' })
  @Column({ type: 'date', nullable: true })
  validTo: string | null;

  @Field(() => String, { nullable: true, description: 'The unit it was merged into, for units that ceased' })
  @Column({ type: 'varchar', length: 10, nullable: true })
  successorCode: string | null;
}
