import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { PersonalData } from '@onestop/platform';

export enum FeedbackKind {
  REFLECTION = 'REFLECTION',
  RECOMMENDATION = 'RECOMMENDATION',
}
registerEnumType(FeedbackKind, { name: 'FeedbackKind', description: 'Phản ánh (about how a dossier or office was handled) or kiến nghị (about a rule or procedure)' });

export enum FeedbackStatus {
  RECEIVED = 'RECEIVED',
  ANSWERED = 'ANSWERED',
}
registerEnumType(FeedbackStatus, { name: 'FeedbackStatus' });

@ObjectType({ description: 'Phản ánh, kiến nghị: a citizen\'s feedback, with its own deadline and answer' })
@Entity('feedback')
@Index('IDX_feedback_received_at', ['receivedAt'])
@Index('IDX_feedback_agency_code_received_at', ['agencyCode', 'receivedAt'])
@Index('IDX_feedback_status_due_at', ['status', 'dueAt'])
@Index('IDX_feedback_submitter_personal_number', ['submitterPersonalNumber'])
export class Feedback {
  @Field(() => ID, { description: 'PAKN-{yyMMdd}-{NNNN}' })
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code: string;

  @Field(() => FeedbackKind)
  @Column({ type: 'varchar', length: 16 })
  kind: FeedbackKind;

  @Field(() => String, { nullable: true, description: 'The dossier it is about, if any' })
  @Column({ type: 'varchar', length: 40, nullable: true })
  dossierCode: string | null;

  @Field({ description: 'The agency that must answer' })
  @Column({ type: 'varchar', length: 30 })
  agencyCode: string;

  @Field()
  @Column({ type: 'varchar', length: 10 })
  level: string;

  @PersonalData<Feedback>({ subject: (f) => f.submitterPersonalNumber, mask: 'name' })
  @Field()
  @Column({ type: 'varchar', length: 120 })
  submitterName: string;

  @Column({ type: 'varchar', length: 12, nullable: true })
  submitterPersonalNumber: string | null;

  @PersonalData<Feedback>({ subject: (f) => f.submitterPersonalNumber, mask: 'text' })
  @Field()
  @Column({ type: 'varchar', length: 2000 })
  content: string;

  @Field()
  @Column({ type: 'datetime' })
  receivedAt: Date;

  @Field({ description: 'Answer due: a number of working days after receipt (FEEDBACK_DAYS, 15 by default)' })
  @Column({ type: 'datetime' })
  dueAt: Date;

  @Field(() => FeedbackStatus)
  @Column({ type: 'varchar', length: 10 })
  status: FeedbackStatus;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 2000, nullable: true })
  answer: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'datetime', nullable: true })
  answeredAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  answeredBy: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Answered by the due date' })
  @Column({ type: 'boolean', nullable: true })
  answeredOnTime: boolean | null;
}
