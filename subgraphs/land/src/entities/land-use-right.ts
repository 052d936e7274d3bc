import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { decimalToNumber, LocatesProperty } from '@onestop/platform';

export enum LandUseRightStatus {
  ACTIVE = 'ACTIVE',
  ENDED = 'ENDED',
}
registerEnumType(LandUseRightStatus, { name: 'LandUseRightStatus' });

@ObjectType({ description: 'A land-use right (quyền sử dụng đất) as recorded on a certificate' })
@Entity('land_use_right')
@Index('IDX_land_use_right_parcel_id', ['parcelId'])
@Index('IDX_land_use_right_holder_personal_number', ['holderPersonalNumber'])
@Index('IDX_land_use_right_holder_enterprise_code', ['holderEnterpriseCode'])
export class LandUseRight {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 24 })
  parcelId: string;

  @Column({ type: 'varchar', length: 12, nullable: true })
  holderPersonalNumber: string | null;

  @Column({ type: 'varchar', length: 14, nullable: true })
  holderEnterpriseCode: string | null;

  @Field(() => Float, { description: 'Share of the right, in percent' })
  @Column({ type: 'decimal', precision: 5, scale: 2, transformer: decimalToNumber })
  sharePercent: number;

  @Field({ description: 'Số phát hành Giấy chứng nhận, e.g. DĐ 123456; *** for analysts' })
  @LocatesProperty()
  @Column({ type: 'varchar', length: 20 })
  certificateSerial: string;

  @Field({ description: 'Số vào sổ cấp Giấy chứng nhận, e.g. CS 01234; *** for analysts' })
  @LocatesProperty()
  @Column({ type: 'varchar', length: 20 })
  certificateRegisterNumber: string;

  @Field({ description: 'YYYY-MM-DD' })
  @Column({ type: 'date' })
  issuedOn: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, when the right passed to someone else' })
  @Column({ type: 'date', nullable: true })
  endedOn: string | null;

  @Field(() => LandUseRightStatus)
  @Column({ type: 'varchar', length: 10 })
  status: LandUseRightStatus;
}
