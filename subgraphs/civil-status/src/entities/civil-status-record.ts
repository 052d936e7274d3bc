import { PersonalData } from '@onestop/platform';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum CivilStatusEventType {
  BIRTH = 'BIRTH',
  MARRIAGE = 'MARRIAGE',
  DEATH = 'DEATH',
}
registerEnumType(CivilStatusEventType, { name: 'CivilStatusEventType' });

@ObjectType({ description: 'An entry in the civil-status register book (sổ hộ tịch): birth, marriage or death.' })
@Entity('civil_status_record')
@Index('IDX_civil_status_record_subject_personal_number', ['subjectPersonalNumber'])
@Index('IDX_civil_status_record_second_personal_number', ['secondPersonalNumber'])
@Index('IDX_civil_status_record_dossier_code', ['dossierCode'])
@Index('UQ_civil_status_record_book_entry', ['registeringUnitCode', 'bookNumber', 'entryNumber'], { unique: true })
export class CivilStatusRecord {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Field(() => CivilStatusEventType)
  @Column({ type: 'varchar', length: 10 })
  type: CivilStatusEventType;

  @Field({ description: 'Quyển số, e.g. 01/2025' })
  @Column({ type: 'varchar', length: 20 })
  bookNumber: string;

  @Field(() => Int, { description: 'Số (entry number in the book)' })
  @Column({ type: 'integer' })
  entryNumber: number;

  @Field({ description: 'YYYY-MM-DD' })
  @Column({ type: 'date' })
  registeredOn: string;

  @Field({ description: 'Administrative unit code of the registering commune' })
  @Column({ type: 'varchar', length: 20 })
  registeringUnitCode: string;

  /** The child (birth), the husband (marriage) or the deceased (death). */
  @Column({ type: 'varchar', length: 12 })
  subjectPersonalNumber: string;

  /** The wife (marriage). */
  @Column({ type: 'varchar', length: 12, nullable: true })
  secondPersonalNumber: string | null;

  @Field(() => String, { nullable: true, description: 'The single-window dossier this entry was registered through' })
  @Column({ type: 'varchar', length: 40, nullable: true })
  dossierCode: string | null;

  /** Who asked for the entry (the dossier's applicant, from the handoff's signed filing): a citizen reads the dossier's entries only as this applicant. */
  @Column({ type: 'varchar', length: 12, nullable: true })
  applicantPersonalNumber: string | null;

  @PersonalData<CivilStatusRecord>({ subject: (r) => r.subjectPersonalNumber, mask: 'hidden', readers: ['staff:CIVIL_STATUS', 'staff:SERVICE_CENTER'] })
  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;
}
