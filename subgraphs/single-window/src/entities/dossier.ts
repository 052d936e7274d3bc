import { PersonalData } from '@onestop/platform';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Channel, DossierStatus } from './dossier-status';

@ObjectType({ description: 'A dossier (hồ sơ) received by the one-stop shop' })
@Directive('@key(fields: "code")')
@Entity('dossier')
@Index('IDX_dossier_applicant_personal_number', ['applicantPersonalNumber'])
@Index('IDX_dossier_applicant_enterprise_code', ['applicantEnterpriseCode'])
@Index('IDX_dossier_receiving_agency_code_received_at', ['receivingAgencyCode', 'receivedAt'])
@Index('IDX_dossier_handling_agency_code_status', ['handlingAgencyCode', 'status'])
@Index('IDX_dossier_procedure_code', ['procedureCode'])
@Index('IDX_dossier_status_appointment_at', ['status', 'appointmentAt'])
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

  @Column({ type: 'varchar', length: 30 })
  receivingAgencyCode: string;

  @Column({ type: 'varchar', length: 30 })
  handlingAgencyCode: string;

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
}
