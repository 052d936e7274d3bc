import fs from 'node:fs';
import path from 'node:path';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { describeWith, runId, s3TestEnv, tempDir } from '../testing';
import { DocumentRefused, DocumentStore, documentStoreFromEnv, FileDocumentStore, S3DocumentStore } from './store';
import { sniffMediaType } from './sniff';
import { signDocument, signatureValid, verifyDocumentFile } from './signing';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 0x41), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Yields `total` bytes in 64 KiB chunks without ever holding them: a PDF header, then filler. */
function bigPdf(total: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return this.push(null);
      const chunk = sent === 0 ? Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(65536 - 9, 0x20)]) : Buffer.alloc(Math.min(65536, total - sent), 0x20);
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

async function read(stream: Readable | null): Promise<Buffer> {
  if (!stream) throw new Error('no content');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function storeContract(name: string, make: () => DocumentStore) {
  describe(name, () => {
    let store: DocumentStore;
    beforeAll(() => { store = make(); });
    afterAll(() => store.close());

    test('stores by SHA-256, once however often it is put, and gives the bytes back', async () => {
      const first = await store.put(Readable.from([PDF.subarray(0, 3), PDF.subarray(3)]), { maxBytes: 1 << 20 });
      expect(first).toEqual({ hash: sha(PDF), size: PDF.length, mediaType: 'application/pdf', created: true });
      const again = await store.put(Readable.from([PDF]), { maxBytes: 1 << 20 });
      expect(again.created).toBe(false);
      expect(await store.has(sha(PDF))).toBe(true);
      expect((await read(await store.get(sha(PDF)))).equals(PDF)).toBe(true);
      expect((await store.put(Readable.from([PNG]), { maxBytes: 1 << 20 })).mediaType).toBe('image/png');
    });

    test('an unknown hash, or something that is no hash, is absent', async () => {
      expect(await store.get('0'.repeat(64))).toBeNull();
      expect(await store.has('0'.repeat(64))).toBe(false);
      expect(await store.get('../../etc/passwd')).toBeNull();
      expect(await store.has('../x')).toBe(false);
    });

    test('refuses what is not PDF, JPEG or PNG, too large, or empty; keeps nothing of it', async () => {
      const html = Buffer.from('<html><script>alert(1)</script></html>');
      await expect(store.put(Readable.from([html]), { maxBytes: 1 << 20 })).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
      expect(await store.has(sha(html))).toBe(false);
      await expect(store.put(Readable.from([Buffer.from('%PD')]), { maxBytes: 100 })).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      await expect(store.put(bigPdf(300_000), { maxBytes: 200_000 })).rejects.toBeInstanceOf(DocumentRefused);
      await expect(store.put(bigPdf(300_000), { maxBytes: 200_000 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
      await expect(store.put(Readable.from([]), { maxBytes: 100 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });

    test('a 20 MB document streams through with memory flat', async () => {
      const before = process.memoryUsage().rss;
      const stored = await store.put(bigPdf(20 * 1024 * 1024), { maxBytes: 25 * 1024 * 1024 });
      expect(stored.size).toBe(20 * 1024 * 1024);
      expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
      const hash = createHash('sha256');
      for await (const chunk of (await store.get(stored.hash))!) hash.update(chunk as Buffer);
      expect(hash.digest('hex')).toBe(stored.hash);
    }, 60_000);
  });
}

storeContract('FileDocumentStore', () => new FileDocumentStore(tempDir('documents')));

describeWith(['s3'], 'S3DocumentStore against a real S3-compatible server', () => {
  storeContract('S3DocumentStore', () => {
    const env = { ...s3TestEnv(), S3_BUCKET: `onestop-test-${runId()}`, DATA_DIR: tempDir('s3-spool') };
    const store = documentStoreFromEnv('land', env);
    expect(store).toBeInstanceOf(S3DocumentStore);
    return store;
  });

  test('each agency gets its own bucket', async () => {
    const prefix = `t${runId()}`;
    const land = documentStoreFromEnv('land', { ...s3TestEnv(), S3_BUCKET_PREFIX: prefix, DATA_DIR: tempDir('s3-spool') });
    const tax = documentStoreFromEnv('tax', { ...s3TestEnv(), S3_BUCKET_PREFIX: prefix, DATA_DIR: tempDir('s3-spool') });
    const stored = await land.put(Readable.from([PNG]), { maxBytes: 1000 });
    expect(await land.has(stored.hash)).toBe(true);
    expect(await tax.has(stored.hash)).toBe(false);
    expect(land.description).toContain(`${prefix}-land`);
    land.close();
    tax.close();
  });
});

describe('documentStoreFromEnv', () => {
  test('files under DATA_DIR by default, one folder per agency; S3 when configured; nothing else', () => {
    const store = documentStoreFromEnv('tax', { DATA_DIR: '/srv/data' });
    expect(store).toBeInstanceOf(FileDocumentStore);
    expect((store as FileDocumentStore).dir).toBe(path.resolve('/srv/data/documents/tax'));
    expect(documentStoreFromEnv('tax', { S3_ENDPOINT: 'http://s3:9000' }).description).toBe('S3 bucket onestop-tax at http://s3:9000');
    expect(() => documentStoreFromEnv('tax', { DOCUMENT_STORE: 'ftp' })).toThrow(/files or s3/);
  });
});

describe('sniffing and signatures', () => {
  test('media types come from the first bytes', () => {
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0]))).toBe('image/jpeg');
    expect(sniffMediaType(PNG)).toBe('image/png');
    expect(sniffMediaType(PDF)).toBe('application/pdf');
    expect(sniffMediaType(Buffer.from('GIF89a..'))).toBeNull();
  });

  test('a detached Ed25519 signature holds for the file it names and nothing else', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519');
    const dir = tempDir('signed');
    const file = path.join(dir, 'extract.pdf');
    fs.writeFileSync(file, PDF);
    const signed = signDocument({ hash: sha(PDF), mediaType: 'application/pdf', size: PDF.length, kind: 'BIRTH_EXTRACT', issuer: 'civil-status', agencyCode: 'H99.TUPHAP.00', issuedAt: '2026-02-03T04:05:06.000Z' }, privateKey);
    expect(signatureValid(signed, publicKey)).toBe(true);
    expect(await verifyDocumentFile(file, signed, publicKey)).toMatchObject({ genuine: true, issuer: 'civil-status', kind: 'BIRTH_EXTRACT' });
    expect(await verifyDocumentFile(file, signed, other.publicKey)).toMatchObject({ genuine: false, reason: expect.stringContaining('signature') });
    expect(signatureValid({ ...signed, issuedAt: '2026-02-04T04:05:06.000Z' }, publicKey)).toBe(false);
    expect(signatureValid({ ...signed, signature: 'bm9wZQ==' }, publicKey)).toBe(false);
    fs.appendFileSync(file, ' ');
    expect(await verifyDocumentFile(file, signed, publicKey)).toMatchObject({ genuine: false, reason: expect.stringContaining('SHA-256') });
  });
});
