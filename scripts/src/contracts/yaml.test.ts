import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { loadYamlWithPython, testWith } from '../testing/helpers';
import { toYaml } from './yaml';

const TRICKY = {
  plain: 'land', spaced: 'Send a handoff to land', vietnamese: 'Thông báo nộp tiền', empty: '',
  reserved: ['yes', 'No', 'on', 'OFF', 'y', 'n', 'null', '~', 'true', 'False'],
  numeric: ['3.0.0', '0.1.0', '2025-10-15', '1:20', '0x1F', '1e3', '.inf', '-1', '+1', '007'],
  indicators: ['#/components/messages/x', '- item', '? key', ': value', 'a: b', 'a #b', '@at', '`tick`', '!tag', '&anchor', '*alias', '|', '>', "'q'", '"q"', '%d', '{a}', '[a]', 'a,b'],
  spaces: [' leading', 'trailing ', '\ttab', 'in\tside'],
  multiline: ['one\ntwo', 'one\ntwo\n', 'one\n\ntwo', 'two trailing\n\n', '\nleading newline', ' indented\nfirst', 'tab\n\tsecond', 'cr\r\nlf', '# heading\n| a | b |\n- item: x'],
  numbers: [0, -1, 1.5, 2_500_000_000, 1e21, -1e-7, 1.5e-7],
  flags: [true, false, null],
  empties: { object: {}, array: [], nested: [[], {}] },
  nested: [{ a: 1, b: [{ c: 'd' }, ['e', ['f']]] }, [{ g: 'multi\nline' }]],
  'key: with colon': 1, '#hash': 2, '3': 3, 'x-message-id': 4, $ref: '#/x',
};

testWith(['pyyaml'], 'YAML writer: what PyYAML (YAML 1.1) reads back is the value that was written', () => {
  assert.deepEqual(loadYamlWithPython(toYaml(TRICKY)), TRICKY);
});

test('YAML writer: 1.1 and 1.2 readers agree; reserved words quoted, text in literal blocks, no anchors, nothing folded', () => {
  assert.deepEqual(parse(toYaml(TRICKY), { version: '1.1' }), TRICKY);
  assert.deepEqual(parse(toYaml(TRICKY), { version: '1.2' }), TRICKY);
  assert.equal(toYaml({ a: 'land', b: 'yes', d: 'x\ny', e: [] }), 'a: land\nb: "yes"\nd: |-\n  x\n  y\ne: []\n');
  assert.equal(toYaml([{ a: 1, b: 2 }, 'c']), '- a: 1\n  b: 2\n- c\n');
  assert.equal(toYaml({ a: undefined, b: 1 }), 'b: 1\n');
  const shared = { type: 'string' };
  assert.doesNotMatch(toYaml({ one: shared, two: shared }), /[&*]/);
  const long = 'một câu rất dài '.repeat(20).trim();
  assert.equal(toYaml({ long }), `long: ${long}\n`);
});
