import { Document, Scalar, ScalarTag, visit } from 'yaml';

/** A YAML 1.1 float needs a dot before its exponent (`1.0e+21`): without one, 1.1 readers take `1e+21` for a string. */
const EXPONENT: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  identify: (value) => typeof value === 'number' && Number.isFinite(value) && /e/.test(String(value)),
  test: /^[-+]?[0-9]+\.[0-9]*[eE][-+]?[0-9]+$/,
  resolve: (text) => parseFloat(text),
  stringify: ({ value }) => JSON.stringify(value).replace(/^(-?\d+)e/, '$1.0e'),
};

/**
 * YAML for the contract documents, written by the `yaml` package as YAML 1.1, so that 1.1 readers (PyYAML, most
 * AsyncAPI tooling) read back the same value: `yes`, `on`, `1:20` and the like are quoted. Multi-line text is a literal
 * block; lines are never folded; a value used twice is written twice (no anchors). Same value, same bytes.
 */
export function toYaml(value: unknown): string {
  const document = new Document(value, { version: '1.1', aliasDuplicateObjects: false, customTags: (tags) => [EXPONENT, ...tags] });
  // A tab in a one-line plain scalar is valid to the `yaml` package but not to PyYAML: double-quote those.
  visit(document, {
    Scalar(_key, node: Scalar) {
      if (typeof node.value === 'string' && node.value.includes('\t') && !node.value.includes('\n')) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return document.toString({ lineWidth: 0, blockQuote: 'literal' });
}
