import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DocumentMediaType, SNIFF_BYTES, sniffMediaType } from './sniff';
import { readSecret } from '../config';

/** Why content was refused while it streamed in; `code` is the client's to branch on. */
export class DocumentRefused extends Error {
  constructor(readonly code: 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'BAD_REQUEST', message: string, readonly status: number) {
    super(message);
  }
}

export interface StoredDocument {
  /** SHA-256 of the content, 64 lowercase hex digits: the document's address in the store. */
  hash: string;
  size: number;
  mediaType: DocumentMediaType;
  /** False when the same content was already there (stored once, however many dossiers use it). */
  created: boolean;
}

/** One agency's documents, content-addressed by SHA-256. */
export interface DocumentStore {
  readonly description: string;
  /**
   * Streams `source` in (never whole in memory): hashes it, sniffs its media type from its first bytes and refuses it
   * past `maxBytes`; nothing is kept when it is refused.
   */
  put(source: Readable, options: { maxBytes: number }): Promise<StoredDocument>;
  /** The content as a stream, or null when the store has no such document. */
  get(hash: string): Promise<Readable | null>;
  has(hash: string): Promise<boolean>;
  /** Lets go of connections (S3's keep-alive sockets). */
  close(): void;
}

export const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** Counts, hashes and sniffs what passes through; errors once past the limit or when the start is not a known type. */
class Inspect extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  mediaType: DocumentMediaType | null = null;
  private head = Buffer.alloc(0);

  constructor(private readonly maxBytes: number) {
    super();
  }

  _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(new DocumentRefused('PAYLOAD_TOO_LARGE', `The document is larger than ${this.maxBytes} bytes`, 413));
    if (!this.mediaType) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, SNIFF_BYTES)]).subarray(0, SNIFF_BYTES);
      if (this.head.length >= SNIFF_BYTES) {
        this.mediaType = sniffMediaType(this.head);
        if (!this.mediaType) return done(unsupported());
      }
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  _flush(done: TransformCallback): void {
    if (!this.mediaType) this.mediaType = sniffMediaType(this.head);
    if (this.size === 0) return done(new DocumentRefused('BAD_REQUEST', 'The document is empty', 400));
    if (!this.mediaType) return done(unsupported());
    done();
  }
}

function unsupported(): DocumentRefused {
  return new DocumentRefused('UNSUPPORTED_MEDIA_TYPE', 'Only PDF, JPEG and PNG documents are accepted (recognised from their content)', 415);
}

/**
 * Streams `source` through the checks into a temporary file under `tmpDir`; the caller moves it into place (or the
 * file is removed when refused). Memory stays at a few chunks whatever the size.
 */
async function spool(source: Readable, tmpDir: string, maxBytes: number): Promise<{ file: string; hash: string; size: number; mediaType: DocumentMediaType }> {
  fs.mkdirSync(tmpDir, { recursive: true });
  const file = path.join(tmpDir, `.incoming-${randomUUID()}`);
  const inspect = new Inspect(maxBytes);
  try {
    await pipeline(source, inspect, fs.createWriteStream(file, { mode: 0o600 }));
  } catch (error) {
    fs.rmSync(file, { force: true });
    // the source is left unread past the refusal: drain it, so an HTTP client still reads the answer
    if (error instanceof DocumentRefused) { source.resume(); throw error; }
    throw error;
  }
  return { file, hash: inspect.hash.digest('hex'), size: inspect.size, mediaType: inspect.mediaType! };
}

/** Files under one folder, `<hash[0..2]>/<hash>`: `npm start`'s default (DATA_DIR/documents/<agency>). */
export class FileDocumentStore implements DocumentStore {
  constructor(readonly dir: string) {}

  get description(): string {
    return `files in ${this.dir}`;
  }

  private pathOf(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), hash);
  }

  async put(source: Readable, options: { maxBytes: number }): Promise<StoredDocument> {
    const spooled = await spool(source, this.dir, options.maxBytes);
    const target = this.pathOf(spooled.hash);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    let created = true;
    try {
      fs.linkSync(spooled.file, target); // atomic; never replaces content already there
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      created = false;
    } finally {
      fs.rmSync(spooled.file, { force: true });
    }
    return { hash: spooled.hash, size: spooled.size, mediaType: spooled.mediaType, created };
  }

  async get(hash: string): Promise<Readable | null> {
    if (!HASH_PATTERN.test(hash)) return null;
    try {
      const handle = await fs.promises.open(this.pathOf(hash), 'r');
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async has(hash: string): Promise<boolean> {
    return HASH_PATTERN.test(hash) && fs.existsSync(this.pathOf(hash));
  }

  close(): void {}
}

export interface S3Settings {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs (S3Proxy, MinIO); virtual-hosted style for AWS itself. */
  forcePathStyle: boolean;
  /** Where uploads are spooled while they are checked (local disk, removed after). */
  spoolDir: string;
}

/** Any S3-compatible object store (AWS S3, MinIO, S3Proxy): one bucket per agency, objects keyed by hash. */
export class S3DocumentStore implements DocumentStore {
  // loaded on first use only: a store on files never loads the SDK
  private client?: import('@aws-sdk/client-s3').S3Client;
  private bucketReady?: Promise<void>;

  constructor(readonly settings: S3Settings) {}

  get description(): string {
    return `S3 bucket ${this.settings.bucket}${this.settings.endpoint ? ` at ${this.settings.endpoint}` : ''}`;
  }

  private sdk(): { s3: typeof import('@aws-sdk/client-s3'); client: import('@aws-sdk/client-s3').S3Client } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const s3 = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
    if (!this.client) {
      const { endpoint, region, accessKeyId, secretAccessKey, forcePathStyle } = this.settings;
      this.client = new s3.S3Client({
        endpoint, region, forcePathStyle,
        credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
        // S3-compatible servers (S3Proxy) answer 501 to the SDK's default extra checksums; the hash is ours anyway
        requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
      });
    }
    return { s3, client: this.client };
  }

  /** Creates the agency's bucket when missing (once per process). */
  ensureBucket(): Promise<void> {
    this.bucketReady ??= (async () => {
      const { s3, client } = this.sdk();
      try {
        await client.send(new s3.HeadBucketCommand({ Bucket: this.settings.bucket }));
      } catch {
        await client.send(new s3.CreateBucketCommand({ Bucket: this.settings.bucket })).catch((error: { name?: string }) => {
          if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
        });
      }
    })().catch((error) => { this.bucketReady = undefined; throw error; });
    return this.bucketReady;
  }

  async put(source: Readable, options: { maxBytes: number }): Promise<StoredDocument> {
    const spooled = await spool(source, this.settings.spoolDir, options.maxBytes);
    try {
      await this.ensureBucket();
      if (await this.has(spooled.hash)) return { hash: spooled.hash, size: spooled.size, mediaType: spooled.mediaType, created: false };
      const { s3, client } = this.sdk();
      await client.send(new s3.PutObjectCommand({
        Bucket: this.settings.bucket, Key: spooled.hash, Body: fs.createReadStream(spooled.file), ContentLength: spooled.size,
        ContentType: spooled.mediaType,
      }));
      return { hash: spooled.hash, size: spooled.size, mediaType: spooled.mediaType, created: true };
    } finally {
      fs.rmSync(spooled.file, { force: true });
    }
  }

  async get(hash: string): Promise<Readable | null> {
    if (!HASH_PATTERN.test(hash)) return null;
    await this.ensureBucket();
    const { s3, client } = this.sdk();
    try {
      const answer = await client.send(new s3.GetObjectCommand({ Bucket: this.settings.bucket, Key: hash }));
      return answer.Body as Readable;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async has(hash: string): Promise<boolean> {
    if (!HASH_PATTERN.test(hash)) return false;
    await this.ensureBucket();
    const { s3, client } = this.sdk();
    try {
      await client.send(new s3.HeadObjectCommand({ Bucket: this.settings.bucket, Key: hash }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  close(): void {
    this.client?.destroy();
    this.client = undefined;
  }
}

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

/**
 * The agency's store from the environment: S3 when `DOCUMENT_STORE=s3` (or `S3_ENDPOINT` / `S3_BUCKET` is set), else
 * files under `DOCUMENTS_DIR` (default `${DATA_DIR}/documents/<agency>`). Each agency has its own bucket
 * (`S3_BUCKET`, default `${S3_BUCKET_PREFIX:-onestop}-<agency>`).
 */
export function documentStoreFromEnv(agency: string, env: NodeJS.ProcessEnv = process.env): DocumentStore {
  const dataDir = env.DATA_DIR || '.data';
  const kind = env.DOCUMENT_STORE || (env.S3_ENDPOINT || env.S3_BUCKET ? 's3' : 'files');
  if (kind === 'files') return new FileDocumentStore(path.resolve(env.DOCUMENTS_DIR || path.join(dataDir, 'documents', agency)));
  if (kind !== 's3') throw new Error(`DOCUMENT_STORE must be files or s3, not "${kind}"`);
  return new S3DocumentStore({
    endpoint: env.S3_ENDPOINT || undefined,
    region: env.S3_REGION || 'us-east-1',
    bucket: env.S3_BUCKET || `${env.S3_BUCKET_PREFIX || 'onestop'}-${agency}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-'),
    accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: readSecret(env.S3_SECRET_ACCESS_KEY_FILE, 'S3_SECRET_ACCESS_KEY_FILE') || env.S3_SECRET_ACCESS_KEY || undefined,
    forcePathStyle: env.S3_FORCE_PATH_STYLE !== 'false',
    spoolDir: path.resolve(env.DOCUMENTS_SPOOL_DIR || path.join(dataDir, 'documents-spool', agency)),
  });
}

const stores = new Map<string, DocumentStore>();

/** One store per agency per process. */
export function documentStoreOf(agency: string): DocumentStore {
  let store = stores.get(agency);
  if (!store) stores.set(agency, (store = documentStoreFromEnv(agency)));
  return store;
}
