import http from 'node:http';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { IsNull } from 'typeorm';
import { DocumentRefused, documentStoreOf, HASH_PATTERN, intFromEnv, RequestContext, RouteHandler, sendJson, SubgraphRouteContext } from '@onestop/platform';
import { mayReadDossier } from '../access';
import { Dossier } from '../entities/dossier';
import { DocumentContent, DocumentUpload, DossierDocument } from '../entities/document';

export const UPLOAD_PATH = '/documents/upload';
export const CONTENT_PATH = '/documents/content';

/** Largest single document (DOCUMENT_MAX_BYTES, default 25 MiB). */
export function documentMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  return intFromEnv('DOCUMENT_MAX_BYTES', 25 * 1024 * 1024, env);
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function refuse(res: http.ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/** Answers and stops reading: a client still sending its body reads the refusal, then the connection closes. */
function refuseUnread(req: http.IncomingMessage, res: http.ServerResponse, status: number, code: string, message: string): void {
  res.setHeader('connection', 'close');
  refuse(res, status, code, message);
  req.resume();
}

/**
 * `PUT /documents/upload?token=…`: the body is the document, streamed into the agency's store (never whole in memory),
 * hashed and sniffed on the way, refused past DOCUMENT_MAX_BYTES or when it is not PDF, JPEG or PNG. Only the caller the
 * token was issued to may use it, once, before it expires. Answers `{hash, mediaType, size}`.
 */
export function uploadRoute(routes: SubgraphRouteContext): RouteHandler {
  return async (req, res) => {
    const ctx = routes.contextOf(req);
    if (!ctx) return refuseUnread(req, res, 401, 'UNAUTHENTICATED', 'Refused: no valid identity from the gateway');
    const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? '';
    const uploads = ctx.db.getRepository(DocumentUpload);
    const slot = token.length >= 32 ? await uploads.findOneBy({ tokenHash: tokenHash(token) }) : null;
    const identity = ctx.identity;
    if (!slot || !identity || slot.requestedBy !== identity.subject || slot.requestedByRole !== identity.role) {
      return refuseUnread(req, res, 403, 'FORBIDDEN', 'Not an upload URL issued to you');
    }
    const now = new Date();
    if (slot.expiresAt < now) return refuseUnread(req, res, 403, 'FORBIDDEN', 'This upload URL has expired: ask for another (requestDocumentUpload)');
    // claimed before reading: the same URL used twice at once stores one document
    const claim = await uploads.update({ tokenHash: slot.tokenHash, uploadedAt: IsNull() }, { uploadedAt: now });
    if (!claim.affected) return refuseUnread(req, res, 409, 'CONFLICT', 'This upload URL has been used already');
    let stored;
    try {
      stored = await documentStoreOf(routes.member).put(req, { maxBytes: documentMaxBytes() });
    } catch (error) {
      await uploads.update({ tokenHash: slot.tokenHash }, { uploadedAt: null });
      if (error instanceof DocumentRefused) return refuseUnread(req, res, error.status, error.code, error.message);
      throw error;
    }
    await ctx.db.transaction(async (manager) => {
      await manager.createQueryBuilder().insert().into(DocumentContent).orIgnore()
        .values({ hash: stored.hash, mediaType: stored.mediaType, size: stored.size, storedAt: now }).execute();
      await manager.getRepository(DocumentUpload).update({ tokenHash: slot.tokenHash }, { hash: stored.hash });
    });
    sendJson(res, 201, { hash: stored.hash, mediaType: stored.mediaType, size: stored.size });
  };
}

const EXTENSION: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/**
 * `GET /documents/content?dossier=…&hash=…`: a dossier's document, to whoever may read the dossier, analysts excepted
 * (they see numbers, never papers); each download is recorded in the personal-data access log of the applicant.
 */
export function contentRoute(routes: SubgraphRouteContext): RouteHandler {
  return async (req, res) => {
    const ctx = routes.contextOf(req);
    if (!ctx) return refuse(res, 401, 'UNAUTHENTICATED', 'Refused: no valid identity from the gateway');
    if (!ctx.identity && !ctx.securityOff) return refuse(res, 401, 'UNAUTHENTICATED', 'Sign in to download a document');
    if (ctx.identity?.role === 'analyst') return refuse(res, 403, 'FORBIDDEN', 'Analysts never download documents');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const code = url.searchParams.get('dossier') ?? '';
    const hash = (url.searchParams.get('hash') ?? '').toLowerCase();
    if (!HASH_PATTERN.test(hash)) return refuse(res, 400, 'BAD_USER_INPUT', 'hash: a SHA-256 hash, 64 hexadecimal digits');
    const document = await ctx.db.getRepository(DossierDocument).findOneBy({ dossierCode: code.slice(0, 40), hash });
    const dossier = document && await ctx.db.getRepository(Dossier).findOneBy({ code: document.dossierCode });
    // the same answer for a document that does not exist and one the caller may not see
    if (!document || !dossier || !mayReadDossier(ctx, dossier)) return refuse(res, 404, 'NOT_FOUND', `No document ${hash} on dossier ${code}`);
    const content = await documentStoreOf(routes.member).get(hash);
    if (!content) return refuse(res, 404, 'NOT_FOUND', `Document ${hash} is not in this agency's store`);
    await recordDownload(ctx, routes.member, dossier, document);
    res.writeHead(200, {
      'content-type': document.mediaType,
      'content-length': String(document.size),
      'content-disposition': `attachment; filename="${document.kind.toLowerCase()}-${hash.slice(0, 12)}.${EXTENSION[document.mediaType] ?? 'bin'}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      ...(document.signature ? { 'x-onestop-issuer': document.issuer ?? '', 'x-onestop-signature': document.signature } : {}),
    });
    await pipeline(content, res).catch(() => res.destroy());
  };
}

async function recordDownload(ctx: RequestContext, member: string, dossier: Dossier, document: DossierDocument): Promise<void> {
  if (ctx.securityOff) return;
  const subject = document.ownerPersonalNumber ?? dossier.applicantPersonalNumber;
  if (!subject) return;
  ctx.personalData.read(subject, `Document.content:${document.kind}`);
  await ctx.personalData.flush(ctx.db.manager, member);
}

export function documentRoutes(routes: SubgraphRouteContext): Record<string, RouteHandler> {
  return { [`PUT ${UPLOAD_PATH}`]: uploadRoute(routes), [`GET ${CONTENT_PATH}`]: contentRoute(routes) };
}
