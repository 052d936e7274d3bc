import { Directive, Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { decimalToNumber } from '@onestop/platform';
import { AdministrativeLevel } from './administrative-unit';
import { AgencySector } from './agency';

export enum OnlineService {
  NONE = 'NONE',
  PARTIAL = 'PARTIAL',
  FULL = 'FULL',
}
registerEnumType(OnlineService, { name: 'OnlineService', description: 'Dịch vụ công trực tuyến: none, một phần (partial), toàn trình (full)' });

export enum ResultForm {
  PAPER = 'PAPER',
  ELECTRONIC = 'ELECTRONIC',
  PAPER_AND_ELECTRONIC = 'PAPER_AND_ELECTRONIC',
}
registerEnumType(ResultForm, { name: 'ResultForm' });

@ObjectType({ description: 'An administrative procedure (thủ tục hành chính) from the national catalogue' })
@Directive('@key(fields: "code")')
@Entity('procedure_catalogue')
@Index('IDX_procedure_catalogue_handling_sector', ['handlingSector'])
export class Procedure {
  @Field({ description: 'e.g. 1.010059.000.00.00.H99' })
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code: string;

  @Field()
  @Column({ type: 'varchar', length: 500 })
  name: string;

  @Field({ description: 'Lĩnh vực, e.g. Đất đai' })
  @Column({ type: 'varchar', length: 120 })
  fieldName: string;

  @Field(() => AgencySector, { description: 'The agency system that handles it' })
  @Column({ type: 'varchar', length: 30 })
  handlingSector: AgencySector;

  @Field(() => AdministrativeLevel)
  @Column({ type: 'varchar', length: 10 })
  level: AdministrativeLevel;

  @Field(() => Float, { description: 'Statutory processing time in working days' })
  @Column({ type: 'decimal', precision: 5, scale: 1, transformer: decimalToNumber })
  processingDays: number;

  @Field(() => Float, { description: 'Fee or charge in đồng; 0 when free' })
  @Column({ type: 'decimal', precision: 18, scale: 0, default: 0, transformer: decimalToNumber })
  feeAmount: number;

  @Field(() => OnlineService)
  @Column({ type: 'varchar', length: 10 })
  onlineService: OnlineService;

  @Field(() => ResultForm)
  @Column({ type: 'varchar', length: 24 })
  resultForm: ResultForm;

  @Field()
  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** The papers it asks for, as JSON `[{kind, name, mandatory}]` (Procedure.requiredPapers). */
  @Column({ type: 'text', nullable: true })
  requiredPapers: string | null;
}
