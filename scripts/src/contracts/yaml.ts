import { stringify } from 'yaml';

/**
 * YAML for the contract documents, written by the `yaml` package as YAML 1.1, so that 1.1 readers (PyYAML, most
 * AsyncAPI tooling) read back the same value: `yes`, `on`, `1:20` and the like are quoted. Multi-line text is a literal
 * block; lines are never folded; a value used twice is written twice (no anchors). Same value, same bytes.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });
}
