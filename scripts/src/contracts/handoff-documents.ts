import fs from 'node:fs';
import path from 'node:path';
import { CONTRACTS } from '@onestop/platform';
import { asyncApiDocument } from './handoff-asyncapi';
import { envelopeSchema, schemaFile } from './handoff-model';
import { handoffReadme } from './handoff-readme';
import { ROOT } from '../stack/subgraphs';
import { toYaml } from './yaml';

/** The folder of schemas/ the handoff documents are written to; files in it that are not generated are stale. */
export const HANDOFF_DOCUMENTS_DIR = 'handoffs';

/**
 * The published handoff contracts, by file name under schemas/: one JSON Schema per message type, the AsyncAPI
 * document and the integration guide. An agency outside this repository integrates from these alone.
 */
export function generateHandoffDocuments(): Map<string, string> {
  const files = new Map<string, string>();
  for (const contract of CONTRACTS) files.set(schemaFile(contract), `${JSON.stringify(envelopeSchema(contract), null, 2)}\n`);
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  files.set(`${HANDOFF_DOCUMENTS_DIR}/asyncapi.yaml`, toYaml(asyncApiDocument(version)));
  const schemas = CONTRACTS.map((c) => path.basename(schemaFile(c)));
  files.set(`${HANDOFF_DOCUMENTS_DIR}/README.md`, handoffReadme({ schemas }));
  return files;
}
