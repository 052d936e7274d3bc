import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What a partner agency outside the graph did after a registration: residence, health card, funeral allowance. */
@ObjectType({ description: 'A partner agency\'s answer to a civil-status registration (police, social insurance)' })
@Entity('civil_status_follow_up')
@Index('UQ_civil_status_follow_up_record_id_agency', ['recordId', 'agency'], { unique: true })
export class CivilStatusFollowUp {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer' })
  recordId: number;

  @Field({ description: 'police or social-insurance' })
  @Column({ type: 'varchar', length: 40 })
  agency: string;

  @Field({ description: 'The answer\'s message type, e.g. social-insurance.health-card-issued' })
  @Column({ type: 'varchar', length: 80 })
  result: string;

  @Field(() => String, { nullable: true, description: 'Card number or decision number' })
  @Column({ type: 'varchar', length: 40, nullable: true })
  reference: string | null;

  @Field()
  @Column({ type: 'datetime' })
  at: Date;
}
