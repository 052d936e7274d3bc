import { PersonalData } from '@onestop/platform';
import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum Sex {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}
registerEnumType(Sex, { name: 'Sex' });

@ObjectType({ description: 'A person in the civil-status register, identified by the 12-digit personal number (số định danh cá nhân).' })
@Directive('@key(fields: "personalNumber")')
@Entity('citizen')
@Index('IDX_citizen_residence_commune_code', ['residenceCommuneCode'])
@Index('IDX_citizen_full_name', ['fullName'])
export class Citizen {
  @PersonalData<Citizen>({ subject: (c) => c.personalNumber, mask: 'identifier' })
  @Field({ description: '12 digits: province code, century/sex digit, year of birth, serial' })
  @PrimaryColumn({ type: 'varchar', length: 12 })
  personalNumber: string;

  @PersonalData<Citizen>({ subject: (c) => c.personalNumber, mask: 'name' })
  @Field()
  @Column({ type: 'varchar', length: 120 })
  fullName: string;

  @PersonalData<Citizen>({ subject: (c) => c.personalNumber, mask: 'date' })
  @Field({ description: 'YYYY-MM-DD' })
  @Column({ type: 'date' })
  birthDate: string;

  @Field(() => Sex)
  @Column({ type: 'varchar', length: 6 })
  sex: Sex;

  @Field({ description: 'Dân tộc' })
  @Column({ type: 'varchar', length: 40, default: 'Kinh' })
  ethnicity: string;

  @Field({ description: 'ISO 3166-1 alpha-2' })
  @Column({ type: 'varchar', length: 2, default: 'VN' })
  nationality: string;

  @PersonalData<Citizen>({ subject: (c) => c.personalNumber, mask: 'text' })
  @Field({ description: 'Quê quán' })
  @Column({ type: 'varchar', length: 200 })
  placeOfOrigin: string;

  @PersonalData<Citizen>({ subject: (c) => c.personalNumber, mask: 'text' })
  @Field({ description: 'Nơi thường trú' })
  @Column({ type: 'varchar', length: 255 })
  permanentAddress: string;

  @Field({ description: 'Administrative unit code of the commune of permanent residence' })
  @Column({ type: 'varchar', length: 5 })
  residenceCommuneCode: string;

  @Column({ type: 'varchar', length: 12, nullable: true })
  fatherPersonalNumber: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  motherPersonalNumber: string | null;

  @PersonalData<Citizen>({ subject: (c) => c.personalNumber, mask: 'hidden' })
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, when a death was registered' })
  @Column({ type: 'date', nullable: true })
  deathDate: string | null;
}
