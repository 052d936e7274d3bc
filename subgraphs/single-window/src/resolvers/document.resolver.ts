import { randomBytes } from 'node:crypto';
import { In } from 'typeorm';
import { Arg, Authorized, Ctx, Field, FieldResolver, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import {
  BadUserInputError, ConflictError, HASH_PATTERN, intFromEnv, isMaskedIdentifier, PersonalData, RequestContext, requireSelfIfCitizen, Scope, signatureValid,
  signDocument,
} from '@onestop/platform';
import { mayReadDossier } from '../access';
import { Dossier } from '../entities/dossier';
import { DocumentContent, DocumentOrigin, DocumentUpload, DossierDocument } from '../entities/document';
import { DossierStatus } from '../entities/dossier-status';
import { Procedure } from '../entities/procedure';
import { CitizenRef } from '../entities/references';
import { assertOpenForPapers, attachDocuments, isPaper } from '../documents/attach';
import { KIND, missingPapers, parsePapers, RequiredPaper } from '../documents/papers';
import { documentMaxBytes, tokenHash } from '../documents/routes';
import { DocumentReferenceInput } from './dossier.resolver';
import { lockedDossier } from './lifecycle.resolver';
import { procedureByCode } from '../loaders';

@ObjectType({ description: 'A one-time upload URL: PUT the document\'s bytes to it through the gateway, with your token' })
class DocumentUploadTicket {
  @Field({ description: 'Path on the gateway, e.g. /documents/single-window/upload?token=…; PUT, body = the file' })
  url: string;

  @Field()
  expiresAt: Date;

  @Field(() => Int, { description: 'Largest document accepted, in bytes' })
  maxBytes: number;
}

@ObjectType({ description: 'Whether a document is a genuine electronic result: who issued it and when, without its content' })
class DocumentVerification {
  @Field() hash: string;
  @Field({ description: 'Issued, signed by its issuer, and the signature holds' }) genuine: boolean;
  @Field(() => String, { nullable: true, description: 'The signing system (its public key is published as for handoffs)' }) issuer: string | null;
  @Field(() => String, { nullable: true, description: 'The agency that issued it' }) agencyCode: string | null;
  @Field(() => Date, { nullable: true }) issuedAt: Date | null;
  @Field(() => String, { nullable: true }) kind: string | null;
  @Field(() => String, { nullable: true }) mediaType: string | null;
  @Field(() => Int, { nullable: true }) size: number | null;
  @Field(() => String, { nullable: true, description: 'Base64 Ed25519 over the fields above: with the file and the public key, `npm run verify-document` checks it offline' })
  signature: string | null;
}

const UPLOAD_TTL_SECONDS = () => intFromEnv('DOCUMENT_UPLOAD_TTL_SECONDS', 900);

@Resolver(() => DossierDocument)
export class DocumentResolver {
  @Authorized('citizen', 'staff')
  @Scope('the caller\'s own: only they may use the URL, once')
  @Mutation(() => DocumentUploadTicket, { description: 'A one-time URL to upload one document (PDF, JPEG or PNG); then name its hash in a dossier\'s documents' })
  async requestDocumentUpload(@Ctx() ctx: RequestContext): Promise<DocumentUploadTicket> {
    const identity = ctx.identity!;
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + UPLOAD_TTL_SECONDS() * 1000);
    await ctx.db.getRepository(DocumentUpload).insert({
      tokenHash: tokenHash(token), requestedByRole: identity.role, requestedBy: identity.subject.slice(0, 64), requestedByAgency: identity.agency ?? null,
      expiresAt, hash: null, uploadedAt: null,
    });
    return { url: `/documents/single-window/upload?token=${token}`, expiresAt, maxBytes: documentMaxBytes() };
  }

  @Authorized('citizen', 'staff')
  @Scope("the dossier's receiving or handling agency; its applicant")
  @Mutation(() => Dossier, { description: 'Add papers to an open dossier (an online registration before it is received, or a supplement)' })
  async attachDocuments(
    @Arg('code') code: string,
    @Arg('documents', () => [DocumentReferenceInput]) documents: DocumentReferenceInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<Dossier> {
    return ctx.db.transaction(async (manager) => {
      const dossier = await lockedDossier(manager, ctx, code, ['staff', 'applicant']);
      assertOpenForPapers(dossier);
      await attachDocuments(manager, ctx.identity, dossier, documents, 'documents');
      if (dossier.applicantPersonalNumber) ctx.personalData.wrote(dossier.applicantPersonalNumber, 'Dossier.documents');
      return dossier;
    });
  }

  @Authorized('staff')
  @Scope("the dossier's receiving or handling agency")
  @Mutation(() => DossierDocument, {
    description: 'Issue the dossier\'s result electronically (extract, certificate, licence): content the caller uploaded, signed by this agency system (Ed25519, detached); returning the result electronically then needs one',
  })
  async issueResultDocument(
    @Arg('code') code: string,
    @Arg('kind') kind: string,
    @Arg('hash') hash: string,
    @Ctx() ctx: RequestContext,
  ): Promise<DossierDocument> {
    if (!KIND.test(kind)) throw new BadUserInputError('kind', 'an upper-case code such as LAND_USE_CERTIFICATE');
    const wanted = hash.trim().toLowerCase();
    if (!HASH_PATTERN.test(wanted)) throw new BadUserInputError('hash', 'a SHA-256 hash: 64 hexadecimal digits');
    return ctx.db.transaction(async (manager) => {
      const dossier = await lockedDossier(manager, ctx, code, ['staff']);
      if (dossier.status === DossierStatus.DRAFT || [DossierStatus.RETURNED, DossierStatus.INTAKE_REJECTED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED].includes(dossier.status)) {
        throw new ConflictError(`Dossier ${dossier.code} is ${dossier.status}: no result is issued for it`, { reason: 'DOSSIER_CLOSED' });
      }
      const identity = ctx.identity!;
      const uploaded = await manager.getRepository(DocumentUpload).existsBy({ requestedBy: identity.subject, requestedByRole: identity.role, hash: wanted });
      const content = uploaded && await manager.getRepository(DocumentContent).findOneBy({ hash: wanted });
      if (!content) throw new BadUserInputError('hash', 'not a document you uploaded');
      const keys = ctx.handoffs.keys;
      const agencyCode = identity.agency ?? dossier.handlingAgencyCode;
      // whole seconds: what a MySQL DATETIME keeps, so the signed time is the stored one
      const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
      const signed = signDocument({
        hash: wanted, mediaType: content.mediaType, size: content.size, kind, issuer: keys.agency, agencyCode, issuedAt: issuedAt.toISOString(),
      }, keys.privateKey);
      const row = manager.getRepository(DossierDocument).create({
        dossierCode: dossier.code, hash: wanted, mediaType: content.mediaType, size: content.size, kind, origin: DocumentOrigin.ISSUED, reused: false,
        ownerPersonalNumber: dossier.applicantPersonalNumber, addedByRole: identity.role, addedBy: identity.subject.slice(0, 64),
        addedByAgency: identity.agency ?? null, addedAt: issuedAt, issuer: signed.issuer, issuingAgencyCode: agencyCode, signature: signed.signature,
      });
      await manager.getRepository(DossierDocument).insert(row);
      if (dossier.applicantPersonalNumber) ctx.personalData.wrote(dossier.applicantPersonalNumber, 'Dossier.documents');
      return row;
    });
  }

  @Authorized('public')
  @Query(() => DocumentVerification, { description: 'Is the document with this SHA-256 a genuine electronic result? Answers anyone: issuer, date and kind, never the content or whose it is' })
  async verifyDocument(@Arg('hash') hash: string, @Ctx() ctx: RequestContext): Promise<DocumentVerification> {
    const wanted = hash.trim().toLowerCase();
    if (!HASH_PATTERN.test(wanted)) throw new BadUserInputError('hash', 'a SHA-256 hash: 64 hexadecimal digits');
    const issued = await ctx.db.getRepository(DossierDocument).find({ where: { hash: wanted, origin: DocumentOrigin.ISSUED, reused: false }, order: { addedAt: 'ASC' }, take: 1 });
    const none = { hash: wanted, genuine: false, issuer: null, agencyCode: null, issuedAt: null, kind: null, mediaType: null, size: null, signature: null };
    const row = issued[0];
    if (!row?.signature || !row.issuer || !row.issuingAgencyCode) return none;
    const publicKey = ctx.handoffs.keys.publicKeyOf(row.issuer);
    const fields = { hash: row.hash, mediaType: row.mediaType, size: row.size, kind: row.kind, issuer: row.issuer, agencyCode: row.issuingAgencyCode, issuedAt: row.addedAt.toISOString() };
    const genuine = !!publicKey && signatureValid({ ...fields, signature: row.signature }, publicKey);
    return { ...fields, issuedAt: row.addedAt, genuine, signature: row.signature };
  }

  @FieldResolver(() => String, { description: 'Where to download it through the gateway (GET, with your token); analysts never may' })
  downloadUrl(@Root() document: DossierDocument): string {
    return `/documents/single-window/content?dossier=${encodeURIComponent(document.dossierCode)}&hash=${document.hash}`;
  }

  @FieldResolver(() => String, { description: 'The officer or system id, or the citizen\'s number' })
  @PersonalData<DossierDocument>({ subject: (d) => (d.addedByRole === 'citizen' ? d.ownerPersonalNumber : null), mask: 'identifier' })
  addedBy(@Root() document: DossierDocument): string {
    return document.addedBy;
  }
}

@Resolver(() => Dossier)
export class DossierDocumentsResolver {
  @FieldResolver(() => [DossierDocument], { description: 'Its papers and issued results, oldest first' })
  documents(@Root() dossier: Dossier, @Ctx() ctx: RequestContext): Promise<DossierDocument[]> {
    return documentsByDossier(ctx).load(dossier.code);
  }

  @FieldResolver(() => [RequiredPaper], { description: 'Mandatory papers of its procedure it does not have (what form 02 asks for)' })
  async missingPapers(@Root() dossier: Dossier, @Ctx() ctx: RequestContext): Promise<RequiredPaper[]> {
    const [procedure, documents] = await Promise.all([procedureByCode(ctx).load(dossier.procedureCode), documentsByDossier(ctx).load(dossier.code)]);
    return missingPapers(parsePapers(procedure?.requiredPapers), documents.filter(isPaper).map((d) => d.kind));
  }
}

@Resolver(() => Procedure)
export class ProcedurePapersResolver {
  @FieldResolver(() => [RequiredPaper], { description: 'The papers it asks for (thành phần hồ sơ)' })
  requiredPapers(@Root() procedure: Procedure): RequiredPaper[] {
    return parsePapers(procedure.requiredPapers);
  }
}

@Resolver(() => CitizenRef)
export class CitizenDocumentsResolver {
  @Authorized('citizen', 'staff')
  @FieldResolver(() => [DossierDocument], {
    description: 'Kho dữ liệu: the documents of this person\'s dossiers (papers and results), newest first, to reuse in a new dossier by hash (staff: those on their agency\'s dossiers)',
  })
  async documents(@Root() citizen: CitizenRef, @Ctx() ctx: RequestContext): Promise<DossierDocument[]> {
    requireSelfIfCitizen(ctx.identity, citizen.personalNumber, 'documents');
    if (isMaskedIdentifier(citizen.personalNumber)) return [];
    const rows = await ctx.db.getRepository(DossierDocument).find({ where: { ownerPersonalNumber: citizen.personalNumber }, order: { addedAt: 'DESC', id: 'DESC' }, take: 500 });
    // the list of a person's papers is theirs: reading it goes on their access log
    if (rows.length && !ctx.securityOff) ctx.personalData.read(citizen.personalNumber, 'Citizen.documents');
    if (ctx.identity?.role === 'citizen' || ctx.identity?.role === 'admin' || ctx.securityOff) return rows;
    const codes = [...new Set(rows.map((row) => row.dossierCode))];
    const dossiers = codes.length ? await ctx.db.getRepository(Dossier).findBy(codes.map((code) => ({ code }))) : [];
    const readable = new Set(dossiers.filter((d) => mayReadDossier(ctx, d)).map((d) => d.code));
    return rows.filter((row) => readable.has(row.dossierCode));
  }
}

function documentsByDossier(ctx: RequestContext) {
  return ctx.loader<string, DossierDocument[]>('documentsByDossier', async (codes) => {
    const rows = await ctx.db.getRepository(DossierDocument).find({ where: { dossierCode: In([...codes]) }, order: { id: 'ASC' } });
    return codes.map((code) => rows.filter((row) => row.dossierCode === code));
  });
}
