import { CONTRACTS } from '@onestop/platform';
import {
  consumerGroup, contractsTo, DEAD_LETTER_HEADERS, DEAD_LETTER_REASONS, deadLetterTopic, inboxTopic, recipients, RELAY_HEADERS, REPLAY_HEADERS,
  TOPIC_PREFIX,
} from './handoff-model';

/** Markdown sections shared by the AsyncAPI description and the integration guide. */

const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
const code = (text: string) => `\`${text}\``;
const list = (items: readonly string[]) => items.map(code).join(', ');

export function topicsSection(): string {
  return [
    `Each member receives on one topic, keyed by dossier code, and moves what it cannot apply to its dead-letter topic.`,
    `Topic names start with ${code(TOPIC_PREFIX)} in the standard deployment; another deployment may agree on another prefix.`,
    `Topics are created by the member that owns them when it starts: do not rely on automatic topic creation.`,
    '',
    table(['Member', 'Topic', 'Dead-letter topic', 'Its consumer group', 'Receives'], recipients().map((member) => [
      member, code(inboxTopic(member)), code(deadLetterTopic(member)), code(consumerGroup(member)), list(contractsTo(member).map((c) => c.messageType)),
    ])),
  ].join('\n');
}

export function accessSection(): string {
  return [
    `Denied unless listed: a receiver dead-letters (${code('access denied')}) any sender, message type and recipient`,
    `not in this table. The table is derived from the contracts; a change is a new contract (version) agreed between the agencies,`,
    `or a central grant or revocation file (${code('HANDOFF_ACCESS_FILE')}) that the receivers load.`,
    '',
    table(['Message type', 'Version', 'From', 'To', 'Summary'], CONTRACTS.map((c) => [
      code(c.messageType), String(c.schemaVersion), c.senders.join(', '), c.recipients.join(', '), c.summary,
    ])),
  ].join('\n');
}

export function recordSection(): string {
  return [
    `- **Topic**: the recipient's topic.`,
    `- **Key**: the dossier code, UTF-8 (the envelope's ${code('correlationId')}). One dossier's messages go to one partition and keep their order.`,
    `- **Value**: the signed envelope as UTF-8 JSON. Receivers parse it and check the signature over its canonical form, so whitespace does not matter.`,
    `- **Headers** (optional, informational; receivers decide from the value only): ${RELAY_HEADERS.map(([name, meaning]) => `${code(name)}: ${meaning}`).join('; ')}.`,
    `  A replayed dead letter also carries ${REPLAY_HEADERS.map(([name]) => code(name)).join(' and ')}.`,
  ].join('\n');
}

export function signingSection(): string {
  return [
    `**Canonical JSON** is JSON with the keys of every object sorted by UTF-16 code units, no whitespace, array order kept,`,
    `strings and numbers written as ECMAScript's ${code('JSON.stringify')} writes them (numbers in shortest form: ${code('1')}, not ${code('1.0')};`,
    `non-ASCII characters as they are, in UTF-8). That is RFC 8785, the JSON Canonicalization Scheme: a JCS library gives the same bytes.`,
    '',
    `1. Build the envelope without ${code('payloadHash')} and ${code('signature')}. Every other field is required; ${code('officerId')} is ${code('null')} when no officer acted (a missing field would not verify).`,
    `2. ${code('payloadHash')} = base64url, without padding, of the SHA-256 of the UTF-8 canonical JSON of ${code('payload')}.`,
    `3. ${code('signature')} = base64url, without padding, of the Ed25519 signature (RFC 8032, pure Ed25519) of the UTF-8 canonical JSON`,
    `   of the envelope with ${code('payloadHash')} and without ${code('signature')}, made with the sender's private key.`,
    `4. Add ${code('signature')} and send. Receivers recompute both from the parsed value: any change to any field breaks the signature.`,
    '',
    `**Keys.** Each agency holds one Ed25519 key pair; the private key never leaves it. Receivers trust the public keys`,
    `(SPKI PEM) found as ${code('<agency>.pub.pem')} in their ${code('HANDOFF_KEYS_DIR')}, e.g. ${code('police.pub.pem')}. Public keys are exchanged`,
    `out of band (hand over the PEM file through the agreed channel and confirm its SHA-256 fingerprint by another one).`,
    `A receiver re-reads the folder when a message does not verify, so a new or rotated key is trusted without a restart:`,
    `to rotate, have the new public key installed first, then sign with the new private key.`,
  ].join('\n');
}

export function deliverySection(): string {
  return [
    `- **At least once.** Senders keep messages in an outbox written in the same transaction as the business change and publish`,
    `  them with ${code('acks=all')} until the broker acknowledges; receivers commit offsets only after applying. A message may arrive twice.`,
    `- **Idempotent inbox.** Receivers record each (${code('sender')}, ${code('messageId')}) in the transaction that applies it and ignore it when it`,
    `  comes again: a retry must resend the same envelope (same ${code('messageId')}), never re-sign a new one. Another sender's id never shadows yours.`,
    `- **Freshness.** ${code('issuedAt')} must be within the last 7 days and at most 5 minutes ahead of the receiver's clock: resend`,
    `  an old outbox row only within that window (an operator's replay of the receiver's own dead letter is exempt).`,
    `- **Size.** A record (key, value and headers) must stay under 1,000,000 bytes (Kafka's default limit, ${code('HANDOFF_MAX_MESSAGE_BYTES')});`,
    `  JSON nested deeper than 32 levels is refused.`,
    `- **Order per dossier.** The key is the dossier code, and senders publish one dossier's messages in order with one request in flight:`,
    `  messages of one dossier are applied in the order they were sent. There is no order across dossiers.`,
    `- **Dead letters.** A message that fails verification, is refused, or keeps failing is copied to the recipient's dead-letter`,
    `  topic with the reason in headers, and the recipient moves on. A transient fault of the recipient (database down or`,
    `  locked, deadlock, lost connection) is retried with backoff for 5 minutes (${code('HANDOFF_RETRY_WINDOW_MS')}) first.`,
    `  Operators inspect, replay or discard them (${code('npm run handoffs -- dead-letters list|replay|discard <agency>')});`,
    `  a replayed message goes through the same checks and the inbox. A discarded one, or a refused one that still fails`,
    `  verification, is never replayed.`,
    `- **A dead letter holds its dossier.** While a verified message of a dossier is dead-lettered, the dossier's later messages`,
    `  are held by the recipient, in order, until that one is replayed and applied or discarded: keep sending; they are not lost.`,
    `- **Refusals come back.** When your message's signature verified but the recipient refused it (envelope, access, schema,`,
    `  or its own rules), it sends you a signed ${code('handoff.refused')} on your topic: the refused ${code('messageId')} and`,
    `  ${code('messageType')}, the reason (as in the table below) and when, with the same ${code('correlationId')}`,
    `  (${code('NONE-000101-0000')} when yours was no dossier code). Accept it like any message; never answer a refusal with one.`,
    `  An unsigned or forged message gets no answer.`,
  ].join('\n');
}

export function deadLetterSection(): string {
  return [
    `A dead letter keeps the original key and value byte for byte and the original headers (each cut to 1,000 bytes),`,
    `unless the whole would not fit under the record limit: then the value is a JSON summary with the original's SHA-256,`,
    `size, topic, partition and offset. It adds:`,
    '',
    table(['Header', 'Meaning'], DEAD_LETTER_HEADERS.map(([name, meaning]) => [code(name), meaning])),
    '',
    `Reasons:`,
    '',
    table(['Reason starts with', 'Meaning'], DEAD_LETTER_REASONS.map(([reason, meaning]) => [code(reason), meaning])),
  ].join('\n');
}
