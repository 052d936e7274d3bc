import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { AdministrativeLevel } from './administrative-unit';

export enum AgencySector {
  SERVICE_CENTER = 'SERVICE_CENTER',
  LAND = 'LAND',
  TAX = 'TAX',
  BUSINESS_REGISTRATION = 'BUSINESS_REGISTRATION',
  CIVIL_STATUS = 'CIVIL_STATUS',
  POLICE = 'POLICE',
  SOCIAL_INSURANCE = 'SOCIAL_INSURANCE',
}
registerEnumType(AgencySector, { name: 'AgencySector' });

@ObjectType({ description: 'A receiving unit (Trung tâm Phục vụ hành chính công, bộ phận một cửa) or a handling agency' })
@Entity('agency')
@Index('IDX_agency_administrative_unit_code', ['administrativeUnitCode'])
export class Agency {
  @Field({ description: 'Unit code, e.g. 000.00.31.H99; prefixes the codes of dossiers it receives' })
  @PrimaryColumn({ type: 'varchar', length: 30 })
  code: string;

  @Field()
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Field(() => AgencySector)
  @Column({ type: 'varchar', length: 30 })
  sector: AgencySector;

  @Field(() => AdministrativeLevel)
  @Column({ type: 'varchar', length: 10 })
  level: AdministrativeLevel;

  @Field()
  @Column({ type: 'varchar', length: 10 })
  administrativeUnitCode: string;

  @Field({ description: 'Receives dossiers (một cửa)' })
  @Column({ type: 'boolean', default: false })
  receivesDossiers: boolean;
}
