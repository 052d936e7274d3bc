/**
 * A small YAML writer for JSON-like values (no YAML package is installed): block mappings and sequences, multi-line
 * strings as literal blocks, other strings plain when that is unambiguous and JSON-quoted otherwise. Same value, same bytes.
 */
export function toYaml(value: unknown): string {
  return `${lines(value, 0).join('\n')}\n`;
}

const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
/** Starts with a letter, `_`, `$` or `/`; then letters, digits, spaces and a few harmless marks; no `: ` or ` #`. */
const PLAIN = /^[\p{L}_$/][\p{L}\p{M}\p{N} _$/.()'’-]*$/u;

function scalar(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`YAML: cannot write ${value}`);
    // 1e+21 is a string to YAML 1.1 readers; 1.0e+21 is a number to 1.1 and 1.2 alike.
    return JSON.stringify(value).replace(/^(-?\d+)e/, '$1.0e');
  }
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(' ') ? value : JSON.stringify(value);
  throw new Error(`YAML: cannot write a ${typeof value}`);
}

/** A literal block keeps the text as is; used when every line can be written without quoting. */
function literal(value: string): string[] | undefined {
  if (!value.includes('\n') || /[\r\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(value)) return undefined;
  const body = value.endsWith('\n') ? value.slice(0, -1) : value;
  if (body.endsWith('\n') || body.startsWith(' ') || body.startsWith('\t') || body.startsWith('\n')) return undefined;
  return [value.endsWith('\n') ? '|' : '|-', ...body.split('\n')];
}

const isCollection = (value: unknown): value is object => typeof value === 'object' && value !== null;
const isEmpty = (value: object) => (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);

/** `head` followed by the value: inline when it fits on the line, else on the next lines, indented. */
function entry(head: string, value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent + 2);
  if (typeof value === 'string') {
    const block = literal(value);
    if (block) return [`${head} ${block[0]}`, ...block.slice(1).map((line) => (line ? `${pad}${line}` : ''))];
  }
  if (!isCollection(value) || isEmpty(value)) return [`${head} ${isCollection(value) ? (Array.isArray(value) ? '[]' : '{}') : scalar(value)}`];
  return [head, ...lines(value, indent + 2)];
}

function lines(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (!isCollection(value) || isEmpty(value)) return entry('', value, indent).map((line, i) => (i === 0 ? `${pad}${line.slice(1)}` : line));
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (!isCollection(item) || isEmpty(item)) return entry(`${pad}-`, item, indent);
      // A nested collection starts on the dash's line: `- key: value`, further keys under the first.
      const nested = lines(item, indent + 2);
      return [`${pad}- ${nested[0].slice(indent + 2)}`, ...nested.slice(1)];
    });
  }
  return Object.entries(value).filter(([, v]) => v !== undefined).flatMap(([key, v]) => entry(`${pad}${scalar(key)}:`, v, indent));
}
