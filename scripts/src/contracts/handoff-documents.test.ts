import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import {
  AccessTable, checkPayload, CONTRACTS, Contract, EnvelopeVerifier, KeyRing, signEnvelope, topicFor, validateDossierCode, verifyEnvelope,
} from '@onestop/platform';
import { asyncApiDocument, deadLetterChannel, inboxChannel, messageKey } from './handoff-asyncapi';
import { generateHandoffDocuments } from './handoff-documents';
import { EXAMPLE_KEY, exampleEnvelope, EXAMPLES } from './handoff-examples';
import { DOSSIER_CODE_PATTERN, recipients, schemaFile } from './handoff-model';
import { WORKED_EXAMPLE } from './handoff-readme';
import { loadYamlWithPython, testWith } from '../testing/helpers';

const documents = generateHandoffDocuments();

function validators(): Map<Contract, ValidateFunction> {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return new Map(CONTRACTS.map((c) => [c, ajv.compile(JSON.parse(documents.get(schemaFile(c))!))]));
}

/** A message as an agency would send it: its own key, a fresh id and time, the example payload. */
function freshEnvelope(contract: Contract, privateKey = generateKeyPairSync('ed25519').privateKey) {
  const example = EXAMPLES[contract.messageType];
  return signEnvelope({
    messageId: randomUUID(), correlationId: example.correlationId, sender: contract.senders.at(-1)!, recipient: contract.recipients.at(-1)!,
    messageType: contract.messageType, schemaVersion: contract.schemaVersion, issuedAt: new Date().toISOString(),
    officerId: example.officerId, payload: example.payload,
  }, privateKey);
}

const errorsOf = (validate: ValidateFunction) => JSON.stringify(validate.errors);

test('handoff documents: one envelope schema per contract, the AsyncAPI document and the guide; same bytes every time', () => {
  assert.deepEqual([...documents.keys()].sort(), [
    ...CONTRACTS.map((c) => `handoffs/${c.messageType}.v${c.schemaVersion}.schema.json`), 'handoffs/README.md', 'handoffs/asyncapi.yaml',
  ].sort());
  assert.deepEqual(generateHandoffDocuments(), documents);
  for (const contract of CONTRACTS) {
    const schema = JSON.parse(documents.get(schemaFile(contract))!);
    assert.equal(schema.$id, `https://onestop.example/schemas/${schemaFile(contract)}`);
    assert.equal(schema.description, contract.summary);
    assert.deepEqual(schema.properties.payload.properties, (contract.payload as { properties: unknown }).properties);
  }
  assert.deepEqual(Object.keys(EXAMPLES).sort(), [...new Set(CONTRACTS.map((c) => c.messageType))].sort(), 'one example per message type');
});

test('handoff documents: a correctly signed envelope of every contract validates against its schema', () => {
  for (const [contract, validate] of validators()) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const envelope = freshEnvelope(contract, privateKey);
    assert.ok(validate(envelope), `${contract.messageType}: ${errorsOf(validate)}`);
    assert.ok(verifyEnvelope(envelope, publicKey));
    assert.deepEqual(checkPayload(contract.messageType, contract.schemaVersion, envelope.payload), { ok: true }, 'the receiver accepts the example payload');
  }
});

test('handoff documents: the published examples validate, and a receiver trusting the example key applies them', () => {
  const validate = validators();
  for (const contract of CONTRACTS) {
    const example = exampleEnvelope(contract);
    const schema = JSON.parse(documents.get(schemaFile(contract))!);
    assert.deepEqual(schema.examples, [example]);
    assert.ok(validate.get(contract)!(example), `${contract.messageType}: ${errorsOf(validate.get(contract)!)}`);
    const receiver = new KeyRing(example.recipient, generateKeyPairSync('ed25519').privateKey, new Map([[example.sender, EXAMPLE_KEY.publicKey]]));
    // verified as at the time it was issued: today the published examples are past the freshness window
    const verifier = new EnvelopeVerifier(receiver, AccessTable.fromContracts());
    const verdict = verifier.verify(JSON.stringify(example), Date.parse(example.issuedAt) + 1000);
    assert.ok(verdict.ok, `${contract.messageType}: ${verdict.ok ? '' : verdict.reason}`);
    const today = verifier.verify(JSON.stringify(example), Date.parse(example.issuedAt) + 8 * 86_400_000);
    assert.ok(!today.ok && today.stale && /^stale: /.test(today.reason), `${contract.messageType} is stale a week later`);
  }
});

test('handoff documents: the schemas refuse what the receivers refuse', () => {
  const validate = validators();
  const transfer = CONTRACTS.find((c) => c.messageType === 'land.transfer-requested')!;
  const check = validate.get(transfer)!;
  const valid = freshEnvelope(transfer);
  const invalid: [string, unknown][] = [
    ['wrong messageType', { ...valid, messageType: 'tax.payment-notice' }],
    ['wrong schemaVersion', { ...valid, schemaVersion: 2 }],
    ['extra envelope property', { ...valid, priority: 'high' }],
    ['extra payload property', { ...valid, payload: { ...valid.payload, note: 'x' } }],
    ['bad personal number', { ...valid, payload: { ...valid.payload, transferorPersonalNumber: '03818000123' } }],
    ['missing officerId', Object.fromEntries(Object.entries(valid).filter(([k]) => k !== 'officerId'))],
    ['sender not allowed', { ...valid, sender: 'tax' }],
    ['recipient not allowed', { ...valid, recipient: 'tax' }],
    ['not a dossier code', { ...valid, correlationId: 'dossier-7' }],
    ['not a uuid', { ...valid, messageId: 'message-1' }],
    ['padded base64', { ...valid, signature: `${valid.signature}==` }],
    ['no timestamp', { ...valid, issuedAt: 'yesterday' }],
  ];
  for (const [what, envelope] of invalid) assert.equal(check(envelope), false, `${what} must fail`);
});

test('handoff documents: the dossier code pattern agrees with validateDossierCode', () => {
  const pattern = new RegExp(DOSSIER_CODE_PATTERN);
  const codes = [
    '000.00.31.H99-251015-0001', 'H99-251231-123456', '000.00.31.H99-251015-001', '000.00.31.h99-251015-0001', '000.00.31.H99-251315-0001',
    '000.00.31.H99-251000-0001', '000.00.31.H99-250132-0001', 'AB-251015-0001', '000.00.31.H99-2510150-0001', '000.00.31.H99-251015-1234567',
  ];
  for (const code of codes) assert.equal(pattern.test(code), validateDossierCode(code).ok, code);
  for (const example of Object.values(EXAMPLES)) assert.ok(pattern.test(example.correlationId));
});

/** Follows a local `#/...` reference of the document. */
function resolve(document: Record<string, any>, ref: string): unknown {
  assert.ok(ref.startsWith('#/'), ref);
  return ref.slice(2).split('/').reduce((node: any, part) => node?.[part], document);
}

testWith(['pyyaml'], 'handoff documents: the AsyncAPI document parses and lists every contract and every member topic', () => {
  const parsed = loadYamlWithPython(documents.get('handoffs/asyncapi.yaml')!) as Record<string, any>;
  const document = asyncApiDocument(parsed.info.version);
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(document)), 'the YAML holds exactly the document');
  assert.equal(parsed.asyncapi, '3.0.0');
  for (const contract of CONTRACTS) {
    const message: Record<string, any> = parsed.components.messages[messageKey(contract)];
    assert.equal(message.name, contract.messageType);
    assert.ok(documents.has(`handoffs/${message.payload.$ref.replace('./', '')}`), message.payload.$ref);
    for (const recipient of contract.recipients) {
      assert.ok(parsed.channels[inboxChannel(recipient)].messages[messageKey(contract)], `${contract.messageType} on ${recipient}'s topic`);
    }
  }
  const members = recipients();
  assert.deepEqual(members.sort(), [...new Set(CONTRACTS.flatMap((c) => c.recipients))].sort());
  for (const member of members) {
    assert.equal(parsed.channels[inboxChannel(member)].address, topicFor(member, 'onestop'));
    assert.equal(parsed.channels[deadLetterChannel(member)].address, `${topicFor(member, 'onestop')}.dead-letter`);
  }
  for (const [id, operation] of Object.entries<any>(parsed.operations)) {
    assert.ok(['send', 'receive'].includes(operation.action), id);
    const channel = resolve(parsed, operation.channel.$ref) as Record<string, any>;
    for (const message of operation.messages) {
      assert.ok(message.$ref.startsWith(`${operation.channel.$ref}/messages/`), `${id}: messages of its own channel`);
      assert.ok(resolve(parsed, message.$ref), message.$ref);
    }
    assert.ok(channel.address, id);
  }
  for (const channel of Object.values<any>(parsed.channels)) {
    for (const message of Object.values<any>(channel.messages)) assert.ok(resolve(parsed, message.$ref), message.$ref);
  }
});

test('handoff documents: the guide shows the worked example as it is signed, and how to produce it with kcat', () => {
  const readme = documents.get('handoffs/README.md')!;
  const contract = CONTRACTS.find((c) => c.messageType === WORKED_EXAMPLE.messageType && c.schemaVersion === WORKED_EXAMPLE.schemaVersion)!;
  const example = exampleEnvelope(contract);
  const line = readme.split('\n').find((l) => l.startsWith('{"messageId"'))!;
  assert.deepEqual(JSON.parse(line), example);
  assert.ok(verifyEnvelope(JSON.parse(line), EXAMPLE_KEY.publicKey));
  assert.ok(readme.includes(EXAMPLE_KEY.publicPem.trim()));
  assert.ok(readme.includes(`kcat -P -b 127.0.0.1:9092 -X partitioner=murmur2_random -t ${topicFor(example.recipient, 'onestop')} -k '${example.correlationId}'`));
  for (const member of recipients()) assert.ok(readme.includes(`\`${topicFor(member, 'onestop')}\``), member);
  for (const c of CONTRACTS) assert.ok(readme.includes(`[\`${c.messageType}.v${c.schemaVersion}.schema.json\`]`), c.messageType);
});
