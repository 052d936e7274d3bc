import { newMessageId } from './envelope';

// For the pipeline tests (embedded bus and Kafka): messages no sender of ours would write.

/** An envelope of the right field types whose payload is nested 100,000 deep: hashing it would overflow the stack. */
export function deepEnvelope(): string {
  const head = JSON.stringify({
    messageId: newMessageId(), correlationId: '000.00.31.H99-260701-0999', sender: 'tax', recipient: 'land', messageType: 'tax.payment-confirmed',
    schemaVersion: 1, issuedAt: new Date().toISOString(), officerId: null, payloadHash: 'h', signature: 's',
  }).slice(0, -1);
  return `${head},"payload":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
}
