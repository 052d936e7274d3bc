import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { decimalToNumber, LocatesProperty } from '@onestop/platform';

@ObjectType({ description: 'A land parcel (thửa đất): commune + map sheet (tờ bản đồ) + parcel number (số thửa)' })
@Directive('@key(fields: "id")')
@Entity('land_parcel')
@Index('UQ_land_parcel_sheet_parcel', ['communeCode', 'mapSheetNumber', 'parcelNumber'], { unique: true })
@Index('IDX_land_parcel_commune_code', ['communeCode'])
export class LandParcel {
  @Field({ description: '{commune code}-{map sheet}-{parcel}, e.g. 26734-12-345; *** for analysts' })
  @LocatesProperty()
  @PrimaryColumn({ type: 'varchar', length: 24 })
  id: string;

  @Field()
  @Column({ type: 'varchar', length: 5 })
  communeCode: string;

  @Field(() => Int, { nullable: true, description: 'Số tờ bản đồ; null for analysts' })
  @LocatesProperty('hidden')
  @Column({ type: 'integer' })
  mapSheetNumber: number;

  @Field(() => Int, { nullable: true, description: 'Số thửa; null for analysts' })
  @LocatesProperty('hidden')
  @Column({ type: 'integer' })
  parcelNumber: number;

  @Field(() => Float, { description: 'Diện tích, m²' })
  @Column({ type: 'decimal', precision: 12, scale: 1, transformer: decimalToNumber })
  area: number;

  @Field({ description: 'Land-use purpose code, e.g. ODT' })
  @Column({ type: 'varchar', length: 10 })
  usePurpose: string;

  @Field(() => String, { nullable: true, description: 'Thời hạn sử dụng, YYYY-MM-DD; null = lâu dài (long-term)' })
  @Column({ type: 'date', nullable: true })
  useTermUntil: string | null;

  @Field({ description: 'Nguồn gốc sử dụng' })
  @Column({ type: 'varchar', length: 255 })
  origin: string;

  @Field({ description: '*** for analysts' })
  @LocatesProperty()
  @Column({ type: 'varchar', length: 255 })
  address: string;
}
