/** The media types a dossier's papers may have, recognised from their first bytes (never from a name or a header). */
export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

const SIGNATURES: [DocumentMediaType, number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
];

/** Bytes needed to decide. */
export const SNIFF_BYTES = 8;

/** The media type of content starting with `head`, or null when it is none of PDF, PNG and JPEG. */
export function sniffMediaType(head: Uint8Array): DocumentMediaType | null {
  for (const [type, signature] of SIGNATURES) {
    if (head.length >= signature.length && signature.every((byte, i) => head[i] === byte)) return type;
  }
  return null;
}
