import { decimalToNumber, PersonalData } from '@onestop/platform';
import { Directive, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Channel, DossierStatus } from './dossier-status';
import { Outcome } from '../lifecycle/outcome';

export enum ReturnChannel {
  COUNTER = 'COUNTER',
  POSTAL = 'POSTAL',
  ELECTRONIC = 'ELECTRONIC',
}
registerEnumType(ReturnChannel, { name: 'ReturnChannel', description: 'How the result went back: at the counter, by public postal service (BCCI), or electronically' });

export enum Rating {
  VERY_SATISFIED = 'VERY_SATISFIED',
  SATISFIED = 'SATISFIED',
  NOT_SATISFIED = 'NOT_SATISFIED',
}
registerEnumType(Rating, { name: 'Rating', description: 'Rất hài lòng, hài lòng, không hài lòng' });

@ObjectType({ description: 'A dossier (hồ sơ) received by the one-stop shop' })
@Directive('@key(fields: "code")')
@Entity('dossier')
@Index('IDX_dossier_applicant_personal_number', ['applicantPersonalNumber'])
@Index('IDX_dossier_applicant_enterprise_code', ['applicantEnterpriseCode'])
@Index('IDX_dossier_receiving_agency_code_received_at', ['receivingAgencyCode', 'receivedAt'])
@Index('IDX_dossier_handling_agency_code_status', ['handlingAgencyCode', 'status'])
@Index('IDX_dossier_handling_agency_code_received_at', ['handlingAgencyCode', 'receivedAt', 'code'])
@Index('IDX_dossier_procedure_code', ['procedureCode'])
// The open dossiers and their deadlines, by unit, read from the index alone (statistics' "open now", overdue lists)
@Index('IDX_dossier_open_by_unit', ['status', 'appointmentAt', 'level', 'handlingAgencyCode', 'receivingAgencyCode', 'procedureCode'])
export class Dossier {
  @Field({ description: '{receiving unit code}-{yyMMdd}-{NNNN}' })
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 40 })
  procedureCode: string;

  @PersonalData<Dossier>({ subject: (d) => d.applicantPersonalNumber, mask: 'name' })
  @Field()
  @Column({ type: 'varchar', length: 120 })
  applicantName: string;

  @Column({ type: 'varchar', length: 12, nullable: true })
  applicantPersonalNumber: string | null;

  @Column({ type: 'varchar', length: 14, nullable: true })
  applicantEnterpriseCode: string | null;

  @PersonalData<Dossier>({ subject: (d) => d.applicantPersonalNumber, mask: 'hidden' })
  @Field(() => String, { nullable: true, description: 'Phone for status SMS' })
  @Column({ type: 'varchar', length: 15, nullable: true })
  contactPhone: string | null;

  @PersonalData<Dossier>({ subject: (d) => d.applicantPersonalNumber, mask: 'hidden' })
  @Field(() => String, { nullable: true, description: 'E-mail for status notices' })
  @Column({ type: 'varchar', length: 120, nullable: true })
  contactEmail: string | null;

  @Column({ type: 'varchar', length: 30 })
  receivingAgencyCode: string;

  @Column({ type: 'varchar', length: 30 })
  handlingAgencyCode: string;

  @Field({ description: 'Level of the handling agency at receipt: PROVINCE, DISTRICT (before 2025-07-01) or COMMUNE' })
  @Column({ type: 'varchar', length: 10, default: 'PROVINCE' })
  level: string;

  @Field(() => Channel)
  @Column({ type: 'varchar', length: 8 })
  channel: Channel;

  @Field(() => DossierStatus)
  @Column({ type: 'varchar', length: 24 })
  status: DossierStatus;

  @Field(() => Int, { description: 'National portal status code 1–10' })
  @Column({ type: 'integer' })
  statusCode: number;

  @Field()
  @Column({ type: 'datetime' })
  receivedAt: Date;

  @Field(() => Date, { nullable: true, description: 'Ngày hẹn trả kết quả' })
  @Column({ type: 'datetime', nullable: true })
  appointmentAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'datetime', nullable: true })
  resolvedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'datetime', nullable: true })
  returnedAt: Date | null;

  @Field({ description: 'Rule set in force at receipt: ND118_2025 or ND61_2018' })
  @Column({ type: 'varchar', length: 20 })
  ruleSet: string;

  @Field(() => Date, { nullable: true, description: 'Set while the clock is paused (financial obligation, supplement); the appointment moves by the paused working time when it resumes' })
  @Column({ type: 'datetime', nullable: true })
  clockPausedAt: Date | null;

  @Field(() => Int, { description: 'Working minutes the clock has been paused, in total' })
  @Column({ type: 'integer', default: 0 })
  pausedMinutes: number;

  @Field(() => Int, { description: 'Requests to supplement (form 02); more than one makes the dossier late' })
  @Column({ type: 'integer', default: 0 })
  supplementRequests: number;

  @Field(() => Date, { nullable: true, description: 'The new appointment promised in an apology (form 04); the outcome is still judged against appointmentAt' })
  @Column({ type: 'datetime', nullable: true })
  apologyAppointmentAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'End of processing: resolved, or stopped, withdrawn, refused' })
  @Column({ type: 'datetime', nullable: true })
  finishedAt: Date | null;

  @Field(() => Outcome, { nullable: true, description: 'Early, on time or late: fixed when processing ends' })
  @Column({ type: 'varchar', length: 8, nullable: true })
  outcome: Outcome | null;

  @Field(() => ReturnChannel, { nullable: true })
  @Column({ type: 'varchar', length: 12, nullable: true })
  returnChannel: ReturnChannel | null;

  @Field(() => Float, { description: 'The procedure\'s fee at receipt, in đồng (0: free)' })
  @Column({ type: 'decimal', precision: 18, scale: 0, default: 0, transformer: decimalToNumber })
  feeDue: number;

  @Field({ description: 'Paid through the online payment platform' })
  @Column({ type: 'boolean', default: false })
  paidOnline: boolean;

  @Field({ description: 'Its papers were digitised at intake (số hóa thành phần hồ sơ)' })
  @Column({ type: 'boolean', default: false })
  digitised: boolean;

  @Field({ description: 'It reused data already digitised (tái sử dụng dữ liệu)' })
  @Column({ type: 'boolean', default: false })
  reusedData: boolean;

  @Field({ description: 'Its procedure issues a paper result' })
  @Column({ type: 'boolean', default: true })
  paperResult: boolean;

  @Field({ description: 'The result was issued electronically' })
  @Column({ type: 'boolean', default: false })
  electronicResult: boolean;

  @Field(() => Float, { nullable: true, description: 'Fees and charges collected on site, in đồng' })
  @Column({ type: 'decimal', precision: 18, scale: 0, nullable: true, transformer: decimalToNumber })
  feeCollected: number | null;

  @Field(() => Rating, { nullable: true, description: 'The applicant\'s satisfaction, once the result is out' })
  @Column({ type: 'varchar', length: 16, nullable: true })
  rating: Rating | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  ratingReason: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'datetime', nullable: true })
  ratedAt: Date | null;

  /** An online registration's handoff (JSON), sent when an officer receives it. */
  @Column({ type: 'text', nullable: true })
  pendingHandoff: string | null;
}
