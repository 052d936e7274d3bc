import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DossierStatus } from './dossier-status';

@ObjectType({ description: 'A step in a dossier\'s timeline' })
@Entity('dossier_event')
@Index('IDX_dossier_event_dossier_code_at', ['dossierCode', 'at'])
export class DossierEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 40 })
  dossierCode: string;

  @Field()
  @Column({ type: 'datetime' })
  at: Date;

  @Field({ description: 'What happened, e.g. RECEIVED, TRANSFERRED, RESOLVED' })
  @Column({ type: 'varchar', length: 40 })
  action: string;

  @Field(() => DossierStatus)
  @Column({ type: 'varchar', length: 24 })
  status: DossierStatus;

  @Field(() => Int)
  @Column({ type: 'integer' })
  statusCode: number;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 30, nullable: true })
  agencyCode: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  officerId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;
}
