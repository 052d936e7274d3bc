import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Last sequence number used per receiving unit and local day, for dossier codes. */
@Entity('dossier_code_counter')
export class DossierCodeCounter {
  @PrimaryColumn({ type: 'varchar', length: 30 })
  unitCode: string;

  @PrimaryColumn({ type: 'varchar', length: 6 })
  day: string;

  @Column({ type: 'integer' })
  lastSequence: number;
}
