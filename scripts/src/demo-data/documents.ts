import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { REQUIRED_PAPERS } from './reference';

/** A demo document's content: a one-page PDF naming what it is, or a small grey PNG standing for a scan. */
export function demoPdf(title: string, lines: string[]): Buffer {
  // ASCII only in the content stream (the standard fonts have no Vietnamese glyphs); the title carries the code
  const ascii = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, '');
  const text = [title, ...lines].map((line, i) => `BT /F1 ${i === 0 ? 14 : 10} Tf 50 ${780 - i * 20} Td (${ascii(line)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function crc32(buffer: Buffer): number {
  let crc = ~0;
  for (const byte of buffer) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A 32×32 greyscale PNG whose pixels follow `seed` (a stand-in for a scanned paper). */
export function demoPng(seed: number): Buffer {
  const size = 32;
  const raw = Buffer.alloc(size * (size + 1));
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) raw[y * (size + 1) + 1 + x] = (x * 7 + y * 13 + seed) & 0xff;
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

export interface DemoFile {
  hash: string;
  mediaType: 'application/pdf' | 'image/png';
  bytes: Buffer;
}

export function demoFile(bytes: Buffer, mediaType: DemoFile['mediaType']): DemoFile {
  return { hash: createHash('sha256').update(bytes).digest('hex'), mediaType, bytes };
}

/** The first paper a procedure asks for (its short code is the catalogue code's first part), or a generic application. */
export function firstPaperOf(procedureCode: string): { kind: string; name: string } {
  const paper = REQUIRED_PAPERS[procedureCode.split('.').slice(0, 2).join('.')]?.[0];
  return paper ? { kind: paper[0], name: paper[1] } : { kind: 'APPLICATION_FORM', name: 'Đơn đề nghị' };
}
