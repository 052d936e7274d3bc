import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import type { AsyncAPIDocumentInterface, Diagnostic } from '@asyncapi/parser';
import { CONTRACTS } from '@onestop/platform';
import { deadLetterChannel, inboxChannel, messageKey } from './handoff-asyncapi';
import { generateHandoffDocuments } from './handoff-documents';
import { writeSchemas } from './schemas';
import { contractsTo, deadLetterTopic, inboxTopic, recipients, schemaFile } from './handoff-model';
import { ROOT } from '../stack/subgraphs';
import { tempDir } from '../testing/helpers';

const documents = generateHandoffDocuments();
/** Where `npm run schemas` writes the documents (writeSchemas): the document's `$ref: ./x.schema.json` resolve from here. */
const SCHEMAS_DIR = path.join(ROOT, 'schemas');
const ASYNCAPI = 'handoffs/asyncapi.yaml';

/** Spectral's DiagnosticSeverity: 0 error, 1 warning, 2 information, 3 hint. */
const ERROR = 0;
const show = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `[${d.severity}] ${d.code} at ${d.path.join('.')}: ${d.message}`).join('\n');

/**
 * Parses the generated AsyncAPI document with the AsyncAPI project's own parser (its YAML reader, the AsyncAPI 3.0 JSON Schema,
 * its rules), as if read from `dir`/handoffs/asyncapi.yaml: its relative `$ref`s resolve to the files beside it, as they
 * do for an agency reading the published folder.
 */
async function parseAsyncApi(text: string, dir = SCHEMAS_DIR) {
  return new Parser().parse(text, { source: path.join(dir, ASYNCAPI) });
}

/** The parser marks the schemas it reads (x-parser-schema-id…); the values are otherwise the document's. */
const withoutParserMarks = (value: unknown) => JSON.parse(JSON.stringify(value, (key, v) => (key.startsWith('x-parser-') ? undefined : v)));

const ids = (items: { all(): { id(): string }[] }) => items.all().map((item) => item.id()).sort();

test('handoff documents: the AsyncAPI parser reads the document as valid AsyncAPI 3.0, its $refs resolved to the committed schema files', async () => {
  // the committed folder: schemas.test.ts checks it holds exactly these documents
  const { document, diagnostics } = await parseAsyncApi(documents.get(ASYNCAPI)!);
  assert.deepEqual(diagnostics.filter((d) => d.severity === ERROR), [], show(diagnostics));
  assert.ok(document, show(diagnostics));
  const doc: AsyncAPIDocumentInterface = document;
  assert.equal(doc.version(), '3.0.0');

  const members = recipients();
  // two notification channels, then an inbox and a dead-letter channel per member a contract sends to
  assert.equal(doc.channels().length, 2 + 2 * members.length);
  // the five of the notification channels, then send, receive and dead-letter per member
  assert.equal(doc.operations().length, 5 + 3 * members.length);
  // a message per contract, the dead letter and the two notifications
  assert.equal(doc.components().messages().length, CONTRACTS.length + 3);
  assert.deepEqual(ids(doc.messages()), [...CONTRACTS.map(messageKey), 'deadLetter', 'dossierStatusNotification', 'procedureCatalogueChanged'].sort());

  for (const contract of CONTRACTS) {
    const message = doc.components().messages().get(messageKey(contract));
    assert.ok(message, messageKey(contract));
    assert.equal(message.name(), contract.messageType);
    assert.deepEqual(withoutParserMarks(message.payload()?.json()), JSON.parse(documents.get(schemaFile(contract))!), `${contract.messageType}: the payload is its schema file`);
  }
  for (const member of members) {
    const inbox = doc.channels().get(inboxChannel(member));
    assert.ok(inbox, member);
    assert.equal(inbox.address(), inboxTopic(member));
    assert.deepEqual(ids(inbox.messages()), contractsTo(member).map(messageKey).sort(), `${member}: a message per contract to it`);
    const deadLetters = doc.channels().get(deadLetterChannel(member));
    assert.ok(deadLetters, member);
    assert.equal(deadLetters.address(), deadLetterTopic(member));
    assert.deepEqual(ids(deadLetters.messages()), ['deadLetter']);
    assert.deepEqual(inbox.operations().all().map((o) => o.action()).sort(), ['receive', 'send'], `${member}: sent to, and received`);
    assert.deepEqual(deadLetters.operations().all().map((o) => o.action()), ['send'], `${member}: sets aside`);
  }
  for (const operation of doc.operations().all()) {
    assert.equal(operation.channels().length, 1, operation.id());
    const channel = operation.channels().all()[0];
    for (const message of operation.messages().all()) {
      assert.ok(channel.messages().has(message.id()), `${operation.id()}: ${message.id()} is a message of ${channel.id()}`);
    }
  }
});

test('handoff documents: the AsyncAPI parser refuses a document with a dangling reference or a missing schema file', async () => {
  const asyncapi = documents.get(ASYNCAPI)!;
  const [first] = CONTRACTS;
  const dir = tempDir('asyncapi');
  writeSchemas(documents, dir);
  try {
    assert.deepEqual((await parseAsyncApi(asyncapi, dir)).diagnostics.filter((d) => d.severity === ERROR), [], 'the copy parses');
    // rename the message in components/messages: every $ref to it dangles
    const withoutMessage = asyncapi.replace(new RegExp(`^    ${messageKey(first)}:\\n`, 'm'), `    ${messageKey(first)}Gone:\n`);
    assert.notEqual(withoutMessage, asyncapi);
    const dangling = await parseAsyncApi(withoutMessage, dir);
    assert.ok(dangling.diagnostics.some((d) => d.severity === ERROR && d.message.includes(`#/components/messages/${messageKey(first)}'`)), show(dangling.diagnostics));

    fs.rmSync(path.join(dir, schemaFile(first)));
    const missing = await parseAsyncApi(asyncapi, dir);
    assert.ok(missing.diagnostics.some((d) => d.severity === ERROR && d.message.includes(path.basename(schemaFile(first)))), show(missing.diagnostics));
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});
