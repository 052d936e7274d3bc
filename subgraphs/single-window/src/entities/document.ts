import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export enum DocumentOrigin {
  UPLOADED = 'UPLOADED',
  DIGITISED = 'DIGITISED',
  ISSUED = 'ISSUED',
}
registerEnumType(DocumentOrigin, {
  name: 'DocumentOrigin',
  description: 'Uploaded by the applicant, digitised by an officer at the counter (số hóa), or issued by an agency as its result',
});

/** Stored content, once per hash however many dossiers use it (the bytes are in the agency's document store). */
@Entity('document_content')
export class DocumentContent {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  hash: string;

  @Column({ type: 'varchar', length: 40 })
  mediaType: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'datetime' })
  storedAt: Date;
}

/** A dossier's paper: content (by hash) of a kind from the procedure's list, where it came from, who added it and when. */
@ObjectType('Document', { description: 'A document of a dossier: a paper handed in (uploaded, digitised or reused from the citizen\'s store) or a result issued' })
@Entity('dossier_document')
@Index('IDX_dossier_document_dossier_code', ['dossierCode'])
@Index('IDX_dossier_document_owner_personal_number', ['ownerPersonalNumber'])
@Index('IDX_dossier_document_hash', ['hash'])
export class DossierDocument {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 40 })
  dossierCode: string;

  @Field({ description: 'SHA-256 of the content, hex' })
  @Column({ type: 'varchar', length: 64 })
  hash: string;

  @Field({ description: 'application/pdf, image/jpeg or image/png, recognised from the content' })
  @Column({ type: 'varchar', length: 40 })
  mediaType: string;

  @Field(() => Int, { description: 'Bytes' })
  @Column({ type: 'integer' })
  size: number;

  @Field({ description: 'Which paper it is, from the procedure\'s list (requiredPapers), or the result\'s kind' })
  @Column({ type: 'varchar', length: 60 })
  kind: string;

  @Field(() => DocumentOrigin)
  @Column({ type: 'varchar', length: 10 })
  origin: DocumentOrigin;

  @Field({ description: 'Taken from the citizen\'s own store (kho dữ liệu) instead of being handed in again' })
  @Column({ type: 'boolean', default: false })
  reused: boolean;

  /** The citizen whose store holds it (the applicant, a person). */
  @Column({ type: 'varchar', length: 12, nullable: true })
  ownerPersonalNumber: string | null;

  @Field({ description: 'citizen, officer, agency-system or admin' })
  @Column({ type: 'varchar', length: 16 })
  addedByRole: string;

  @Field(() => String, { nullable: true, description: 'The officer\'s or system\'s agency' })
  @Column({ type: 'varchar', length: 40, nullable: true })
  addedByAgency: string | null;

  @Field({ description: 'The officer or system id, or the citizen\'s number (masked for analysts)' })
  @Column({ type: 'varchar', length: 64 })
  addedBy: string;

  @Field()
  @Column({ type: 'datetime' })
  addedAt: Date;

  /** An issued result: the signing system (its public key is `<issuer>.pub.pem`), and the base64 Ed25519 signature. */
  @Field(() => String, { nullable: true, description: 'For an issued result: the system that signed it' })
  @Column({ type: 'varchar', length: 40, nullable: true })
  issuer: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  issuingAgencyCode: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  signature: string | null;
}

/** A one-time upload URL handed out by requestDocumentUpload: who may use it, until when, and what came of it. */
@Entity('document_upload')
@Index('IDX_document_upload_requested_by_hash', ['requestedBy', 'hash'])
export class DocumentUpload {
  /** SHA-256 of the URL's token: the token itself is never stored. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'varchar', length: 16 })
  requestedByRole: string;

  @Column({ type: 'varchar', length: 64 })
  requestedBy: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  requestedByAgency: string | null;

  @Column({ type: 'datetime' })
  expiresAt: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  hash: string | null;

  @Column({ type: 'datetime', nullable: true })
  uploadedAt: Date | null;
}
