import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import readXlsxFile from 'read-excel-file/node';
import { STATIC_DIR } from './assets';

/** The workspace's logic as the browser runs it: the very file served at /explorer/assets/workspace-core.js. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core = require(path.join(STATIC_DIR, 'workspace-core.js'));

const sample = {
  dossiers: {
    totalCount: 2,
    items: [
      { code: 'A-1', receivedAt: '2026-03-05T09:30:00.000Z', isOverdue: false, onTimeShare: 85.34, procedure: { name: 'Đăng ký khai sinh' }, tags: ['x', 'y'] },
      { code: '=HYPERLINK("x")', receivedAt: '2026-12-31T17:05:00.000Z', isOverdue: true, onTimeShare: null, procedure: { name: 'Cấp giấy chứng nhận quyền sử dụng đất, "lần đầu"' }, tags: [] },
    ],
  },
  citizen: { landRights: [{ sharePercent: 50, parcel: { id: 1 } }], enterprises: [{ lines: [{ vsic: '4711' }, { vsic: '4719' }] }, { lines: [{ vsic: '6201' }] }] },
};

describe('the analysts\' workspace (workspace-core.js)', () => {
  test('finds every list of a result, nested lists too', () => {
    const lists = core.findLists(sample);
    assert.deepEqual(lists.map((l: { path: string; rows: unknown[] }) => [l.path, l.rows.length]), [
      ['dossiers.items', 2],
      ['dossiers.items[].tags', 2],
      ['citizen.landRights', 1],
      ['citizen.enterprises', 2],
      ['citizen.enterprises[].lines', 3],
    ]);
    assert.deepEqual(core.findLists({ a: 1, b: { c: 'x' } }), []);
  });

  test('columns with their kinds; percentages in one unit, times in Asia/Ho_Chi_Minh', () => {
    const table = core.tabulate(sample.dossiers.items);
    const kinds = Object.fromEntries(table.columns.map((c: { key: string; kind: string }) => [c.key, c.kind]));
    assert.deepEqual(kinds, { code: 'text', receivedAt: 'datetime', isOverdue: 'boolean', onTimeShare: 'percent', 'procedure.name': 'text', tags: 'text' });
    const cell = (key: string, row = 0) => core.formatCell(table.columns.find((c: { key: string }) => c.key === key), table.rows[row][key]);
    assert.equal(cell('receivedAt'), '05/03/2026 16:30', 'UTC+7');
    assert.equal(cell('receivedAt', 1), '01/01/2027 00:05', 'the next day in Vietnam');
    assert.equal(cell('onTimeShare'), '85,3 %');
    assert.equal(cell('onTimeShare', 1), '');
    assert.equal(cell('isOverdue', 1), 'có');
    assert.equal(cell('tags'), 'x, y');
    // a fraction (the 766 indicators' ratio) shows in the same unit as the percent points of *Share and *Percent
    const land = core.tabulate(sample.citizen.landRights);
    assert.equal(core.formatCell(land.columns[0], 50), '50,0 %');
    const ratio = core.tabulate([{ ratio: 0.5, threshold: 0.9 }]);
    assert.deepEqual(ratio.columns.map((c: { unit: string }) => c.unit), ['fraction', 'fraction']);
    assert.equal(core.formatCell(ratio.columns[0], 0.5), '50,0 %');
    assert.equal(core.toCsv(ratio), '\uFEFFratio (%),threshold (%)\r\n50,90\r\n');
    assert.equal(core.formatCell({ kind: 'number' }, 1234567.5), '1.234.567,5');
    assert.equal(core.vietnamTime('2026-12-31T17:05:00Z'), '2027-01-01 00:05:00');
    assert.equal(core.flattenRow({ a: { b: [{ c: 1 }, { c: 2 }] } })['a.b'], '2 ×');
    assert.deepEqual(core.flattenRow('plain'), { value: 'plain' });
  });

  test('CSV: UTF-8 BOM, CRLF, quoted where needed, units in the header, no formula injection', () => {
    const csv: string = core.toCsv(core.tabulate(sample.dossiers.items));
    assert.ok(csv.startsWith('\uFEFFcode,receivedAt (UTC+7),isOverdue,onTimeShare (%),procedure.name,tags\r\n'), csv.slice(0, 120));
    const lines = csv.slice(1).split('\r\n');
    assert.equal(lines[1], 'A-1,2026-03-05 16:30:00,false,85.34,Đăng ký khai sinh,"x, y"');
    assert.equal(lines[2], `"'=HYPERLINK(""x"")",2027-01-01 00:05:00,true,,"Cấp giấy chứng nhận quyền sử dụng đất, ""lần đầu""",`);
    assert.equal(lines[3], '');
    assert.equal(Buffer.from(csv, 'utf8').subarray(0, 3).toString('hex'), 'efbbbf');
  });

  test('XLSX: a workbook of one sheet, text inline, percentages and times as numbers with their formats', () => {
    const table = core.tabulate(sample.dossiers.items);
    const files = unzipSync(core.toXlsx(table, 'Hồ sơ: [quý 1]/2026 and a name far too long for Excel', zipSync));
    const text = (name: string) => new TextDecoder().decode(files[name]);
    assert.deepEqual(Object.keys(files).sort(), ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']);
    const sheet = text('xl/worksheets/sheet1.xml');
    assert.match(sheet, /<c r="A1" s="1" t="inlineStr"><is><t>code<\/t><\/is><\/c>/);
    assert.match(sheet, /<c r="E2" t="inlineStr"><is><t xml:space="preserve">Đăng ký khai sinh<\/t><\/is><\/c>/);
    assert.match(sheet, /<c r="D2" s="2"><v>0.8534<\/v><\/c>/, 'percent points stored as the fraction Excel shows as 85.3%');
    const serial = Number(/<c r="B2" s="3"><v>([\d.]+)<\/v>/.exec(sheet)?.[1]);
    assert.ok(Math.abs(serial - (46086 + 16.5 / 24)) < 1e-6, `2026-03-05 16:30 in Vietnam is Excel day 46086.6875, got ${serial}`);
    assert.match(sheet, /<c r="C3" t="b"><v>1<\/v><\/c>/);
    assert.match(sheet, /&quot;lần đầu&quot;/);
    assert.doesNotMatch(sheet, /<c r="D3"/, 'an empty cell is left out');
    assert.match(text('xl/workbook.xml'), /<sheet name="Hồ sơ   quý 1  2026 and a name " sheetId="1"/, "31 characters at most, without []:*?/\\");
    assert.match(text('xl/styles.xml'), /formatCode="0.0%"/);
    assert.equal(core.columnName(0), 'A');
    assert.equal(core.columnName(25), 'Z');
    assert.equal(core.columnName(26), 'AA');
    assert.equal(core.columnName(701), 'ZZ');
    assert.equal(core.columnName(702), 'AAA');
    const percentPoints = core.tabulate([{ sharePercent: 25 }]);
    assert.match(new TextDecoder().decode(unzipSync(core.toXlsx(percentPoints, '', zipSync))['xl/worksheets/sheet1.xml']), /<c r="A2" s="2"><v>0.25<\/v>/);
  });

  test('XLSX: an independent reader (read-excel-file) opens it and reads the same values', async () => {
    const table = core.tabulate(sample.dossiers.items);
    const sheets = await readXlsxFile(Buffer.from(core.toXlsx(table, 'Hồ sơ', zipSync)));
    assert.equal(sheets.length, 1);
    assert.equal(sheets[0].sheet, 'Hồ sơ');
    const [header, first, second] = sheets[0].data;
    assert.deepEqual(header, ['code', 'receivedAt (UTC+7)', 'isOverdue', 'onTimeShare (%)', 'procedure.name', 'tags']);
    // a date cell: the reader gives Vietnam's wall-clock time as a Date of that time in UTC
    // (within a millisecond: a date serial is a fraction of a day)
    const near = (value: unknown, iso: string) => value instanceof Date && Math.abs(value.getTime() - Date.parse(iso)) <= 1;
    assert.ok(near(first[1], '2026-03-05T16:30:00Z') && near(second[1], '2027-01-01T00:05:00Z'), `${first[1]} ${second[1]}`);
    assert.deepEqual([...first.slice(0, 1), ...first.slice(2)], ['A-1', false, 0.8534, 'Đăng ký khai sinh', 'x, y']);
    assert.deepEqual([second[0], ...second.slice(2, 5)], ['=HYPERLINK("x")', true, null, 'Cấp giấy chứng nhận quyền sử dụng đất, "lần đầu"'], 'text, not a formula');
  });

  const stats = {
    rows: [
      { period: '2026-02', level: 'PROVINCE', handlingAgency: { code: 'S1', name: 'Sở Tư pháp' }, resolved: 10, early: 2, onTime: 6, late: 2, ratings: 4, verySatisfiedShare: 50, satisfiedShare: 25 },
      { period: '2026-01', level: 'COMMUNE', handlingAgency: { code: 'X1', name: 'UBND xã Tân Tiến' }, resolved: 5, early: 5, onTime: 0, late: 0, ratings: 0, verySatisfiedShare: null, satisfiedShare: null },
      { period: '2026-02', level: 'COMMUNE', handlingAgency: null, resolved: 0, early: 0, onTime: 0, late: 0, ratings: 4, verySatisfiedShare: 100, satisfiedShare: 0 },
    ],
    indicators: [
      { id: '2.1', group: 'TIMELINESS', name: 'Resolved on time…', ratio: 0.95, threshold: 0.9, points: 10, maxPoints: 10 },
      { id: '3.3', group: 'ONLINE_SERVICES', name: 'Online dossiers…', ratio: 0.25, threshold: 0.5, points: 2, maxPoints: 4 },
      { id: '9.9', group: 'OTHER', name: 'Not known here', ratio: null, threshold: 0.5, points: null, maxPoints: 1 },
    ],
  };

  test('the center report: early / on time / late and satisfaction by month, agency and level', () => {
    assert.equal(core.centerReport({ dossierStatistics: stats }), stats);
    assert.equal(core.centerReport({ procedures: [] }), null);
    assert.deepEqual(core.reportDimensions(stats), ['month', 'agency', 'level']);
    assert.deepEqual(core.reportDimensions({ rows: [{ level: 'X' }] }), ['level']);
    const byMonth = core.reportSeries(stats, 'month');
    assert.deepEqual(byMonth.rows.map((r: { group: string }) => r.group), ['2026-01', '2026-02'], 'months in order');
    assert.deepEqual(byMonth.rows[1], {
      group: '2026-02', resolved: 10, early: 2, onTime: 6, late: 2, earlyShare: 0.2, onTimeShare: 0.6, lateShare: 0.2,
      ratings: 8, satisfiedShare: 0.875, // (0.75 × 4 + 1 × 4) ÷ 8
    });
    assert.equal(byMonth.rows[0].satisfiedShare, null, 'no ratings, no share');
    const byAgency = core.reportSeries(stats, 'agency');
    assert.deepEqual(byAgency.rows.map((r: { group: string }) => r.group), ['Sở Tư pháp', 'UBND xã Tân Tiến', '(không rõ)']);
    const byLevel = core.reportSeries(stats, 'level');
    assert.deepEqual(byLevel.rows.map((r: { group: string; resolved: number }) => [r.group, r.resolved]), [['PROVINCE', 10], ['COMMUNE', 5]]);
    assert.equal(byLevel.columns[0].label, 'Cấp');
  });

  test('the 766 indicators in Vietnamese, in percent, with the points summed', () => {
    const table = core.indicatorTable(stats.indicators);
    assert.deepEqual(table.columns.map((c: { label: string }) => c.label), ['Chỉ số', 'Nhóm', 'Tên chỉ số', 'Tỷ lệ', 'Ngưỡng', 'Điểm', 'Điểm tối đa']);
    assert.equal(table.rows[0].name, core.INDICATOR_NAMES['2.1']);
    assert.equal(table.rows[0].group, 'Tiến độ giải quyết');
    assert.equal(table.rows[2].name, 'Not known here', 'an indicator this page does not know keeps the graph\'s name');
    assert.deepEqual(table.rows[3], { id: 'Tổng', group: null, name: 'Tổng điểm các chỉ số tính được', ratio: null, threshold: null, points: 12, maxPoints: 15 });
    const ratio = table.columns[3];
    assert.equal(core.formatCell(ratio, table.rows[1].ratio), '25,0 %');
    assert.equal(core.formatCell(table.columns[4], table.rows[1].threshold), '50,0 %');
    assert.match(core.toCsv(table), /^\uFEFFChỉ số,Nhóm,Tên chỉ số,Tỷ lệ \(%\),Ngưỡng \(%\),Điểm,Điểm tối đa\r\n2\.1,Tiến độ giải quyết,/);
    // every indicator the single-window subgraph computes has a Vietnamese name here
    for (const id of ['2.1', '3.1', '3.2', '3.3', '3.6', '4.1', '4.2', '4.3', '5.2', '5.4']) assert.ok(core.INDICATOR_NAMES[id], id);
  });
});
