import { EntityManager, In } from 'typeorm';
import { BadUserInputError, ConflictError, HASH_PATTERN, Identity, intFromEnv } from '@onestop/platform';
import { Dossier } from '../entities/dossier';
import { DocumentContent, DocumentOrigin, DocumentUpload, DossierDocument } from '../entities/document';
import { DossierStatus } from '../entities/dossier-status';
import { Procedure } from '../entities/procedure';
import { receivedCounts } from '../statistics/counts';
import { addToStatistics } from '../statistics/rollup';
import { workingCalendar } from '../calendar';
import { KIND, missingPapers, parsePapers, RequiredPaper } from './papers';

/** A paper named in a submission: its kind and the hash of content the caller uploaded or the applicant already has. */
export interface DocumentReference {
  kind: string;
  hash: string;
}

/** Total bytes of a dossier's papers (DOSSIER_DOCUMENTS_MAX_BYTES, default 100 MiB). */
export function dossierMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  return intFromEnv('DOSSIER_DOCUMENTS_MAX_BYTES', 100 * 1024 * 1024, env);
}

function who(identity: Identity | null): Pick<DossierDocument, 'addedByRole' | 'addedBy' | 'addedByAgency'> {
  return { addedByRole: identity?.role ?? 'anonymous', addedBy: (identity?.subject ?? 'anonymous').slice(0, 64), addedByAgency: identity?.agency ?? null };
}

/**
 * Links papers to a dossier, inside the caller's transaction. Each hash is content the caller uploaded (origin: the
 * applicant's upload, or an officer's digitisation at the counter), or a document already in the applicant's own
 * store (kho dữ liệu), which is then reused. Anything else is refused, naming the entry. The dossier's `digitised`
 * and `reusedData` follow from what is linked (never from input); a received dossier's statistics follow them.
 */
export async function attachDocuments(
  manager: EntityManager, identity: Identity | null, dossier: Dossier, references: DocumentReference[], field: string, now = new Date(),
  /** False while the intake itself has yet to count the dossier. */
  counted = true,
): Promise<DossierDocument[]> {
  if (!references.length) return [];
  if (references.length > 50) throw new BadUserInputError(field, 'at most 50 documents at a time');
  const procedure = await manager.getRepository(Procedure).findOneByOrFail({ code: dossier.procedureCode });
  const papers = parsePapers(procedure.requiredPapers);
  const hashes = references.map((reference, i) => {
    const hash = reference.hash.trim().toLowerCase();
    if (!HASH_PATTERN.test(hash)) throw new BadUserInputError(`${field}[${i}].hash`, 'a SHA-256 hash: 64 hexadecimal digits');
    if (!KIND.test(reference.kind)) throw new BadUserInputError(`${field}[${i}].kind`, 'an upper-case code such as ID_CARD');
    if (papers.length && !papers.some((paper) => paper.kind === reference.kind)) {
      throw new BadUserInputError(`${field}[${i}].kind`, `procedure ${procedure.code} asks for ${papers.map((p) => p.kind).join(', ')}`);
    }
    return hash;
  });
  const uploads = identity
    ? await manager.getRepository(DocumentUpload).findBy({ requestedBy: identity.subject, requestedByRole: identity.role, hash: In(hashes) })
    : [];
  const owned = dossier.applicantPersonalNumber
    ? await manager.getRepository(DossierDocument).findBy({ ownerPersonalNumber: dossier.applicantPersonalNumber, hash: In(hashes) })
    : [];
  const { contents } = await contentOf(manager, hashes);
  const existing = await manager.getRepository(DossierDocument).findBy({ dossierCode: dossier.code });
  let total = existing.reduce((sum, d) => sum + d.size, 0);
  const rows: DossierDocument[] = references.map((reference, i) => {
    const hash = hashes[i];
    const content = contents.get(hash);
    const uploaded = uploads.some((u) => u.hash === hash);
    const earlier = owned.find((d) => d.hash === hash);
    if (!content || (!uploaded && !earlier)) {
      throw new BadUserInputError(`${field}[${i}].hash`, 'not a document you uploaded, nor one in the applicant\'s store');
    }
    if (existing.some((d) => d.hash === hash && d.kind === reference.kind)) throw new BadUserInputError(`${field}[${i}]`, 'already on the dossier');
    total += content.size;
    if (total > dossierMaxBytes()) throw new BadUserInputError(`${field}[${i}]`, `the dossier's documents would exceed ${dossierMaxBytes()} bytes`);
    // already in the applicant's store (an earlier dossier's paper or result): reused, whoever uploaded it
    const origin = earlier ? earlier.origin : identity?.role === 'citizen' ? DocumentOrigin.UPLOADED : DocumentOrigin.DIGITISED;
    return manager.getRepository(DossierDocument).create({
      dossierCode: dossier.code, hash, mediaType: content.mediaType, size: content.size, kind: reference.kind, origin, reused: !!earlier,
      ownerPersonalNumber: dossier.applicantPersonalNumber, ...who(identity), addedAt: now, issuer: null, issuingAgencyCode: null, signature: null,
    });
  });
  await manager.getRepository(DossierDocument).insert(rows);
  await deriveDigitisation(manager, dossier, [...existing, ...rows], counted);
  return rows;
}

/** A paper handed in (a reused result of an earlier dossier included), not this dossier's own result. */
export function isPaper(document: Pick<DossierDocument, 'origin' | 'reused'>): boolean {
  return document.origin !== DocumentOrigin.ISSUED || document.reused;
}

/** Stored content by hash (document_content). */
export async function contentOf(manager: EntityManager, hashes: string[]) {
  const rows = hashes.length ? await manager.getRepository(DocumentContent).findBy({ hash: In([...new Set(hashes)]) }) : [];
  return { contents: new Map(rows.map((row) => [row.hash, row])) };
}

/**
 * `digitised` (papers in electronic form: uploaded, digitised or reused) and `reusedData` (a paper taken from the
 * citizen's store) from the dossier's documents. A received dossier's day in the statistics gains what it now counts.
 */
export async function deriveDigitisation(manager: EntityManager, dossier: Dossier, documents: Pick<DossierDocument, 'origin' | 'reused'>[], counted = true): Promise<void> {
  const papers = documents.filter(isPaper);
  const digitised = papers.length > 0;
  const reusedData = papers.some((d) => d.reused);
  if (digitised === dossier.digitised && reusedData === dossier.reusedData) return;
  const before = receivedCounts(dossier);
  dossier.digitised = digitised;
  dossier.reusedData = reusedData;
  await manager.getRepository(Dossier).update({ code: dossier.code }, { digitised, reusedData });
  if (!counted || dossier.status === DossierStatus.DRAFT) return; // counted when received, with these flags
  const after = receivedCounts(dossier);
  await addToStatistics(manager, dossier, workingCalendar().localDate(dossier.receivedAt), {
    digitised: (after.digitised ?? 0) - (before.digitised ?? 0), reusedData: (after.reusedData ?? 0) - (before.reusedData ?? 0),
  });
}

/** The dossier may still take papers: not once it is finished (refused, withdrawn, stopped, resolved, returned). */
export function assertOpenForPapers(dossier: Dossier): void {
  const closed = [DossierStatus.INTAKE_REJECTED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED, DossierStatus.RESOLVED, DossierStatus.RETURNED];
  if (closed.includes(dossier.status)) throw new ConflictError(`Dossier ${dossier.code} is ${dossier.status}: it takes no more papers`, { reason: 'DOSSIER_CLOSED' });
}

/** The procedure's mandatory papers the dossier's records lack (what form 02 asks for). */
export async function missingPapersOf(manager: EntityManager, dossier: Pick<Dossier, 'code' | 'procedureCode'>): Promise<RequiredPaper[]> {
  const procedure = await manager.getRepository(Procedure).findOneBy({ code: dossier.procedureCode });
  const documents = await manager.getRepository(DossierDocument).findBy({ dossierCode: dossier.code });
  return missingPapers(parsePapers(procedure?.requiredPapers), documents.filter(isPaper).map((d) => d.kind));
}

/** Form 01's line on the papers: how many were received, and which mandatory ones are missing. */
export async function receiptNote(manager: EntityManager, dossier: Pick<Dossier, 'code' | 'procedureCode'>): Promise<string> {
  const base = 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)';
  const papers = (await manager.getRepository(DossierDocument).findBy({ dossierCode: dossier.code })).filter(isPaper).length;
  const missing = await missingPapersOf(manager, dossier);
  return `${base}; thành phần hồ sơ: ${papers}${missing.length ? `; còn thiếu: ${missing.map((p) => p.name).join(', ')}` : ''}`.slice(0, 500);
}
