import { parseArgs } from 'node:util';
import type { QueryRunner } from 'typeorm';
import { databaseConfig, describeDatabase, dropMysqlDatabase, entitiesOf, migrationsOf, openDatabase, SnakeNamingStrategy } from '@onestop/platform';
import { COUNTERS, Dimension, NATIONAL_STATUS_CODE, ReportFilter, singleWindow, statisticsReport } from '@onestop/single-window';
import { progressBar } from '../cli/progress';

/**
 * `npm run bench:statistics`: how long `statisticsReport` (the statistics and Decision 766 queries) takes on a registry
 * of realistic size, on MariaDB. It sums the daily rollup `dossier_daily_statistics` over a period (grouped by level,
 * agency, procedure or month …) and, for reports without a time dimension, counts the dossiers open now in `dossier`.
 *
 * The data: N dossiers (default 10 M) received over the 3 years before a fixed "now" (2026-11-01 00:00 local time), at
 * 40 receiving units for 60 handling agencies (20 provincial departments; 10 districts until 2025-07-01; 30 communes)
 * and 300 procedures; 2–3 % still open, the rest resolved (early, on time, late), returned, rated, a few stopped or
 * withdrawn. Generated in the server (SEQUENCE engine, INSERT … SELECT in chunks), with the rollup built from the
 * dossiers by GROUP BY, approximately as the lifecycle keeps it. Generated once, then reused (`--fresh` rebuilds).
 *
 *   npm run bench:statistics -- [--dossiers 10000000] [--db-url mysql://root@127.0.0.1:3306] [--fresh] [--runs 30] [--warmups 3] [--budget 120]
 */

const NOW = new Date('2026-10-31T17:00:00Z'); // 2026-11-01 00:00 in Vietnam (UTC+7)
const NOW_SQL = "TIMESTAMP'2026-10-31 17:00:00'";
const FIRST_DAY = "DATE'2023-11-01'";
const DAYS = 1096; // 2023-11-01 … 2026-10-31, local days
const REFORM_DAY = "DATE'2025-07-01'"; // districts abolished; Decree 118/2025 in force
const META = 'bench_statistics_meta';

const DEPARTMENTS = ['TP', 'TC', 'XD', 'NNMT', 'CT', 'GDDT', 'YT', 'VHTTDL', 'KHCN', 'NV', 'DTTG', 'NGV', 'CA', 'BHXH', 'THUE', 'KBNN', 'BQLKKT', 'VPDKDD', 'TTDVVL', 'DL'];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Quốc'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Hương', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Phúc', 'Quang', 'Sơn', 'Thảo', 'Trang', 'Tuấn', 'Vy', 'Yến'];
const OPEN = ['RECEIVED', 'TRANSFERRED', 'IN_APPRAISAL', 'AWAITING_PARTNER', 'APPROVAL', 'SUPPLEMENT_REQUESTED', 'FINANCIAL_OBLIGATION'];

/** The i-th of 32 uniform numbers in [0, 1) (16 bits) drawn from the row's hash. */
const u = (i: number) => `(CONV(SUBSTRING(g.hx, ${i * 4 + 1}, 4), 16, 10) / 65536)`;
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');
/** One of the values, the first ones more often (skew > 1). */
const pick = (values: string[], i: number, skew = 1) => `ELT(1 + FLOOR(${values.length} * POW(${u(i)}, ${skew})), ${list(values)})`;
const naming = new SnakeNamingStrategy();
const col = (property: string) => naming.columnName(property, undefined, []);

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The receiving units, in the order of their codes (so the dossiers' primary key grows as they are inserted). */
function units(total: number) {
  const defs = [
    ...Array.from({ length: 36 }, (_, i) => ({ code: `BPMC-${String(i + 1).padStart(2, '0')}`, kind: 'LOCAL', weight: 0.6 + ((i * 37) % 11) / 10, districtH: 20 + (i % 10), communeH: 30 + (i % 30) })),
    ...[5, 2, 2, 2].map((weight, i) => ({ code: `TTPV-0${i + 1}`, kind: 'CENTER', weight, districtH: 0, communeH: 0 })),
  ].sort((a, b) => a.code.localeCompare(b.code));
  const sum = defs.reduce((s, d) => s + d.weight, 0);
  let first = 1;
  return defs.map((d, r) => {
    const last = r === defs.length - 1 ? total : first + Math.round((total * d.weight) / sum) - 1;
    const unit = { r, ...d, first, last };
    first = last + 1;
    return unit;
  });
}

async function secondaryIndexes(q: QueryRunner, table: string) {
  const rows: { name: string; column: string; unique: number }[] = await q.query(
    `SELECT index_name AS name, column_name AS \`column\`, 1 - non_unique AS \`unique\` FROM information_schema.statistics
     WHERE table_schema = DATABASE() AND table_name = ? AND index_name <> 'PRIMARY' ORDER BY index_name, seq_in_index`, [table]);
  const indexes = new Map<string, { unique: boolean; columns: string[] }>();
  for (const r of rows) {
    if (!indexes.has(r.name)) indexes.set(r.name, { unique: Number(r.unique) === 1, columns: [] });
    indexes.get(r.name)!.columns.push(r.column);
  }
  return [...indexes].map(([name, i]) => `ADD ${i.unique ? 'UNIQUE ' : ''}INDEX \`${name}\` (${i.columns.map((c) => `\`${c}\``).join(', ')})`);
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<number> {
  const started = performance.now();
  process.stdout.write(`  ${label}… `);
  await work();
  const seconds = (performance.now() - started) / 1000;
  console.log(`${seconds.toFixed(1)} s`);
  return seconds;
}

/** Fills `dossier` with `total` dossiers and builds `dossier_daily_statistics` from them; returns the seconds taken. */
async function generate(q: QueryRunner, total: number, chunk: number): Promise<number> {
  const started = performance.now();
  // Session-only: the generation's in-memory work tables and sorts.
  await q.query('SET SESSION max_heap_table_size = 1073741824, tmp_table_size = 1073741824, sort_buffer_size = 67108864');
  const unitList = units(total);
  await q.query('CREATE TEMPORARY TABLE bench_unit (r INT PRIMARY KEY, code VARCHAR(30), kind VARCHAR(8), first BIGINT, last BIGINT, district_h INT, commune_h INT) ENGINE=MEMORY');
  await q.query(`INSERT INTO bench_unit VALUES ${unitList.map((x) => `(${x.r}, '${x.code}', '${x.kind}', ${x.first}, ${x.last}, ${x.districtH}, ${x.communeH})`).join(', ')}`);
  await q.query(`CREATE TEMPORARY TABLE g (
    seq BIGINT NOT NULL, r INT, kind VARCHAR(8), district_h INT, commune_h INT, local_day DATE, hx CHAR(128),
    channel VARCHAR(8), received_at DATETIME, level VARCHAR(10), h INT, p INT, days DECIMAL(5,1), supplement_requests INT, paused_minutes INT,
    appointment_at DATETIME, ending VARCHAR(16), outcome VARCHAR(8), finish_at DATETIME, is_open TINYINT, return_channel VARCHAR(12),
    return_at DATETIME, status VARCHAR(24), rated_at DATETIME, rating VARCHAR(16)
  ) ENGINE=MEMORY DEFAULT CHARSET=latin1`);

  const dossierIndexes = await secondaryIndexes(q, 'dossier');
  const statisticsIndexes = await secondaryIndexes(q, 'dossier_daily_statistics');
  // Loading in primary-key order without the secondary indexes, then building them by sorting, is much faster.
  await q.query(`ALTER TABLE dossier ${dossierIndexes.map((a) => a.replace(/^ADD (UNIQUE )?INDEX (`[^`]+`).*$/, 'DROP INDEX $2')).join(', ')}`);
  await q.query(`ALTER TABLE dossier_daily_statistics ${statisticsIndexes.map((a) => a.replace(/^ADD (UNIQUE )?INDEX (`[^`]+`).*$/, 'DROP INDEX $2')).join(', ')}`);

  const procedureCode = "CONCAT('1.', LPAD(1000 + g.p * 7, 6, '0'), '.000.00.00.H12')";
  const agencyCode = `CASE WHEN g.h < 20 THEN CONCAT('SO-', ELT(g.h + 1, ${list(DEPARTMENTS)})) WHEN g.h < 30 THEN CONCAT('UBND-H', LPAD(g.h - 19, 2, '0')) ELSE CONCAT('UBND-X', LPAD(g.h - 29, 2, '0')) END`;
  const fee = "IF(g.p % 3 = 0, (1 + g.p % 10) * 50000, 0)";
  const enterprise = `${u(21)} < 0.12`;
  const number8 = 'CAST(CONV(SUBSTRING(g.hx, 89, 8), 16, 10) AS UNSIGNED)';
  const openStatus = `CASE WHEN ${u(13)} < 0.06 THEN 'RECEIVED' WHEN ${u(13)} < 0.14 THEN 'TRANSFERRED' WHEN ${u(13)} < 0.56 THEN 'IN_APPRAISAL' WHEN ${u(13)} < 0.70 THEN 'AWAITING_PARTNER' WHEN ${u(13)} < 0.80 THEN 'APPROVAL' WHEN ${u(13)} < 0.94 THEN 'SUPPLEMENT_REQUESTED' ELSE 'FINANCIAL_OBLIGATION' END`;
  const progress = `DATEDIFF(g.received_at, ${FIRST_DAY}) / ${DAYS}`; // online payment and digitisation grow over the years
  const paperResult = 'g.p % 7 <> 0';
  const statusCode = `CASE g.status ${Object.entries(NATIONAL_STATUS_CODE).map(([s, c]) => `WHEN '${s}' THEN ${c}`).join(' ')} END`;

  let dossierSeconds = 0;
  console.log(`Generating ${total.toLocaleString('en')} dossiers in chunks of ${chunk.toLocaleString('en')}…`);
  const bar = progressBar('  dossiers', total);
  try {
    for (let a = 1; a <= total; a += chunk) {
      const b = Math.min(total, a + chunk - 1);
      const chunkStarted = performance.now();
      await q.query('DELETE FROM g');
      await q.query(`INSERT INTO g (seq, r, kind, district_h, commune_h, local_day, hx)
        SELECT s.seq, u.r, u.kind, u.district_h, u.commune_h, ${FIRST_DAY} + INTERVAL FLOOR((s.seq - u.first) * ${DAYS} / (u.last - u.first + 1)) DAY,
          CONCAT(MD5(s.seq), MD5(s.seq + 1000000000), MD5(s.seq + 2000000000), MD5(s.seq + 3000000000))
        FROM seq_${a}_to_${b} s JOIN bench_unit u ON s.seq BETWEEN u.first AND u.last`);
      // A single-table UPDATE assigns left to right: each column may use the ones set before it.
      await q.query(`UPDATE g SET
        channel = CASE WHEN ${u(0)} < 0.30 + 0.35 * DATEDIFF(local_day, ${FIRST_DAY}) / ${DAYS} THEN 'ONLINE'
          WHEN ${u(0)} < 0.34 + 0.35 * DATEDIFF(local_day, ${FIRST_DAY}) / ${DAYS} THEN 'POSTAL' ELSE 'COUNTER' END,
        local_day = IF(channel <> 'ONLINE' AND WEEKDAY(local_day) >= 5 AND local_day + INTERVAL (7 - WEEKDAY(local_day)) DAY < DATE(${NOW_SQL} + INTERVAL 7 HOUR),
          local_day + INTERVAL (7 - WEEKDAY(local_day)) DAY, local_day),
        received_at = TIMESTAMP(local_day) + INTERVAL IF(channel = 'ONLINE', FLOOR(${u(1)} * 86400), 27000 + FLOOR(${u(1)} * 34200)) SECOND - INTERVAL 7 HOUR,
        level = CASE WHEN kind = 'CENTER' OR ${u(2)} < 0.05 THEN 'PROVINCE' WHEN local_day < ${REFORM_DAY} AND ${u(3)} < 0.4 THEN 'DISTRICT' ELSE 'COMMUNE' END,
        h = CASE level WHEN 'PROVINCE' THEN FLOOR(20 * POW(${u(3)}, 1.6)) WHEN 'DISTRICT' THEN district_h ELSE commune_h END,
        p = CASE WHEN level = 'PROVINCE' THEN h * 10 + FLOOR(10 * POW(${u(4)}, 2))
          WHEN level = 'DISTRICT' OR (local_day >= ${REFORM_DAY} AND ${u(5)} < 0.35) THEN 200 + FLOOR(40 * POW(${u(4)}, 2))
          ELSE 240 + FLOOR(60 * POW(${u(4)}, 2)) END,
        days = ELT(1 + (p * 7) % 10, 0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30),
        supplement_requests = IF(${u(6)} < 0.08, 1, IF(${u(6)} < 0.09, 2, 0)),
        paused_minutes = supplement_requests * 480 * (2 + FLOOR(${u(7)} * 6)),
        appointment_at = received_at + INTERVAL ROUND(days * 1.4 * 1440 + paused_minutes * 3) MINUTE,
        ending = IF(${u(9)} < 0.003, 'INTAKE_REJECTED', IF(${u(9)} < 0.011, 'STOPPED', IF(${u(9)} < 0.025, 'WITHDRAWN', 'RESOLVED'))),
        outcome = IF(ending = 'INTAKE_REJECTED', 'EARLY', IF(supplement_requests >= 2, 'LATE', IF(${u(8)} < 0.62, 'EARLY', IF(${u(8)} < 0.95, 'ON_TIME', 'LATE')))),
        finish_at = CASE
          WHEN ending = 'INTAKE_REJECTED' THEN received_at + INTERVAL 30 + FLOOR(${u(10)} * 240) MINUTE
          WHEN outcome = 'EARLY' THEN received_at + INTERVAL FLOOR(TIMESTAMPDIFF(MINUTE, received_at, appointment_at) * (0.1 + 0.85 * ${u(10)})) MINUTE
          WHEN outcome = 'ON_TIME' THEN GREATEST(received_at, appointment_at - INTERVAL FLOOR(${u(10)} * 180) MINUTE)
          ELSE appointment_at + INTERVAL 1440 + FLOOR(43200 * POW(${u(10)}, 2)) MINUTE END,
        -- open: processing ends after now, or stuck (more likely the more recent)
        is_open = ending <> 'INTAKE_REJECTED' AND (finish_at > ${NOW_SQL} OR ${u(12)} < 0.12 * EXP(-TIMESTAMPDIFF(MINUTE, received_at, ${NOW_SQL}) / 172800)),
        return_channel = CASE WHEN channel = 'ONLINE' AND ${u(14)} < 0.7 THEN 'ELECTRONIC' WHEN channel = 'POSTAL' OR ${u(14)} > 0.93 THEN 'POSTAL' ELSE 'COUNTER' END,
        return_at = finish_at + INTERVAL CASE return_channel WHEN 'ELECTRONIC' THEN 5 + FLOOR(${u(15)} * 120) WHEN 'POSTAL' THEN 1440 + FLOOR(${u(15)} * 2880)
          ELSE 60 + FLOOR(POW(${u(15)}, 2) * 7200) END MINUTE,
        status = CASE WHEN is_open THEN ${openStatus} WHEN ending <> 'RESOLVED' THEN ending
          WHEN return_at <= ${NOW_SQL} AND ${u(17)} >= 0.008 THEN 'RETURNED' ELSE 'RESOLVED' END,
        rated_at = IF(status = 'RETURNED' AND ${u(16)} < 0.25 AND return_at + INTERVAL 1 + FLOOR(${u(17)} * 600) MINUTE <= ${NOW_SQL},
          return_at + INTERVAL 1 + FLOOR(${u(17)} * 600) MINUTE, NULL),
        rating = IF(rated_at IS NULL, NULL, IF(${u(16)} < 0.16, 'VERY_SATISFIED', IF(${u(16)} < 0.235, 'SATISFIED', 'NOT_SATISFIED')))`);
      await q.query(`INSERT INTO dossier (code, procedure_code, applicant_name, applicant_personal_number, applicant_enterprise_code,
          receiving_agency_code, handling_agency_code, level, channel, status, status_code, received_at, appointment_at, resolved_at, returned_at,
          rule_set, clock_paused_at, paused_minutes, supplement_requests, apology_appointment_at, finished_at, outcome, return_channel,
          fee_collected, rating, rating_reason, rated_at, contact_phone, contact_email,
          fee_due, paid_online, digitised, reused_data, paper_result, electronic_result)
        SELECT CONCAT(u.code, '-', DATE_FORMAT(g.received_at + INTERVAL 7 HOUR, '%y%m%d'), '-', LPAD(g.seq, 8, '0')), ${procedureCode},
          IF(${enterprise}, CONCAT('Công ty TNHH ', ${pick(GIVEN, 20)}, ' ', ${pick(FAMILY, 18, 2)}), CONCAT(${pick(FAMILY, 18, 2)}, ' ', ${pick(MIDDLE, 19)}, ' ', ${pick(GIVEN, 20)})),
          IF(${enterprise}, NULL, CONCAT('036', IF(${u(21)} < 0.56, '0', '1'), LPAD(${number8} % 4000000, 8, '0'))),
          IF(${enterprise}, CONCAT('36', LPAD(${number8} % 400000, 8, '0')), NULL),
          u.code, ${agencyCode}, g.level, g.channel, g.status, ${statusCode}, g.received_at, g.appointment_at,
          IF(g.status IN ('RESOLVED', 'RETURNED'), g.finish_at, NULL), IF(g.status = 'RETURNED', g.return_at, NULL),
          IF(g.received_at >= TIMESTAMP'2025-06-30 17:00:00', 'ND118_2025', 'ND61_2018'),
          IF(g.status IN ('SUPPLEMENT_REQUESTED', 'FINANCIAL_OBLIGATION'), g.received_at + INTERVAL FLOOR(TIMESTAMPDIFF(MINUTE, g.received_at, ${NOW_SQL}) * ${u(10)}) MINUTE, NULL),
          g.paused_minutes, IF(g.status = 'SUPPLEMENT_REQUESTED', GREATEST(g.supplement_requests, 1), g.supplement_requests),
          IF(NOT g.is_open AND g.outcome = 'LATE' AND ${u(11)} < 0.6, TIMESTAMP(DATE(g.finish_at)) + INTERVAL 27 HOUR, NULL),
          IF(g.is_open, NULL, g.finish_at), IF(g.is_open, NULL, g.outcome), IF(g.status = 'RETURNED', g.return_channel, NULL),
          IF(g.status = 'RETURNED' AND ${fee} > 0, ${fee}, NULL), g.rating, IF(g.rating = 'NOT_SATISFIED', 'Thời gian giải quyết kéo dài', NULL), g.rated_at,
          IF(${u(27)} < 0.8, CONCAT('09', LPAD(${number8} % 100000000, 8, '0')), NULL), IF(${u(28)} < 0.25, CONCAT('nguoidan', g.seq, '@example.vn'), NULL),
          ${fee}, g.channel = 'ONLINE' AND ${fee} > 0 AND ${u(24)} < 0.2 + 0.5 * ${progress}, ${u(25)} < 0.3 + 0.5 * ${progress}, ${u(26)} < 0.15 + 0.35 * ${progress},
          ${paperResult}, g.status = 'RETURNED' AND (g.return_channel = 'ELECTRONIC' OR NOT (${paperResult}))
        FROM g JOIN bench_unit u ON u.r = g.r ORDER BY g.seq`);
      dossierSeconds += (performance.now() - chunkStarted) / 1000;
      bar.update(b, `last chunk ${((performance.now() - chunkStarted) / 1000).toFixed(1)} s`);
    }
  } finally {
    bar.stop();
  }
  await q.query('DROP TEMPORARY TABLE g');
  console.log(`  dossiers inserted in ${dossierSeconds.toFixed(1)} s`);
  await timed(`building the dossier's ${dossierIndexes.length} secondary indexes`, () => q.query(`ALTER TABLE dossier ${dossierIndexes.join(', ')}`));

  // The rollup: each dossier's events (received, resolved, ended, returned, supplement requested, apology, rated) on their
  // local day. By receiving unit (a primary-key range of the dossiers, and disjoint rows of the rollup), into a heap first.
  const day = (at: string) => `DATE(${at} + INTERVAL 7 HOUR)`;
  const k = (n: number, also = '') => `SUM(e.seq = ${n}${also ? ` AND ${also}` : ''})`;
  const sums: Record<(typeof COUNTERS)[number] | 'feeCollected', string> = {
    received: k(1), receivedOnline: k(1, "d.channel = 'ONLINE'"), receivedPostal: k(1, "d.channel = 'POSTAL'"),
    resolved: k(2), resolvedEarly: k(2, "d.outcome = 'EARLY'"), resolvedOnTime: k(2, "d.outcome = 'ON_TIME'"), resolvedLate: k(2, "d.outcome = 'LATE'"),
    resolvedSameDay: k(2, `${day('d.received_at')} = ${day('d.resolved_at')}`),
    // working minutes, roughly: 8 of 24 hours on 5 of 7 days
    processingMinutes: 'SUM(IF(e.seq = 2, GREATEST(0, ROUND(TIMESTAMPDIFF(MINUTE, d.received_at, d.resolved_at) * 0.238) - d.paused_minutes), 0))',
    stopped: k(3, "d.status = 'STOPPED'"), withdrawn: k(3, "d.status = 'WITHDRAWN'"), intakeRejected: k(3, "d.status = 'INTAKE_REJECTED'"),
    returned: k(4), returnedPostal: k(4, "d.return_channel = 'POSTAL'"), returnedElectronic: k(4, "d.return_channel = 'ELECTRONIC'"),
    supplementRequests: 'SUM(IF(e.seq = 5, d.supplement_requests, 0))', apologies: k(6),
    ratedVerySatisfied: k(7, "d.rating = 'VERY_SATISFIED'"), ratedSatisfied: k(7, "d.rating = 'SATISFIED'"), ratedNotSatisfied: k(7, "d.rating = 'NOT_SATISFIED'"),
    feeCollected: 'SUM(IF(e.seq = 4, COALESCE(d.fee_collected, 0), 0))',
    receivedWithFee: k(1, 'd.fee_due > 0'), paidOnline: k(1, 'd.paid_online'), digitised: k(1, 'd.digitised'), reusedData: k(1, 'd.reused_data'),
    returnedPaperProcedure: k(4, 'd.paper_result'), electronicResults: k(4, 'd.paper_result AND d.electronic_result'),
  };
  const columns = Object.keys(sums).map(col);
  await q.query('CREATE TEMPORARY TABLE stage ENGINE=Aria AS SELECT * FROM dossier_daily_statistics LIMIT 0');
  await timed('summing the dossiers into the daily rollup, by receiving unit', async () => {
    for (const unit of unitList) {
      await q.query(`INSERT INTO stage (day, level, receiving_agency_code, handling_agency_code, procedure_code, ${columns.join(', ')})
        SELECT ${day(`CASE e.seq WHEN 1 THEN d.received_at WHEN 2 THEN d.resolved_at WHEN 3 THEN d.finished_at WHEN 4 THEN d.returned_at
            WHEN 5 THEN COALESCE(d.clock_paused_at, LEAST(d.received_at + INTERVAL 2 DAY, ${NOW_SQL} - INTERVAL 1 SECOND))
            WHEN 6 THEN LEAST(d.appointment_at, d.finished_at) ELSE d.rated_at END`)},
          d.level, d.receiving_agency_code, d.handling_agency_code, d.procedure_code, ${Object.values(sums).join(', ')}
        FROM dossier d STRAIGHT_JOIN seq_1_to_7 e
        WHERE d.code LIKE '${unit.code}-%' AND CASE e.seq WHEN 1 THEN d.status <> 'INTAKE_REJECTED' WHEN 2 THEN d.resolved_at IS NOT NULL
          WHEN 3 THEN d.status IN ('STOPPED', 'WITHDRAWN', 'INTAKE_REJECTED') WHEN 4 THEN d.returned_at IS NOT NULL WHEN 5 THEN d.supplement_requests > 0
          WHEN 6 THEN d.apology_appointment_at IS NOT NULL ELSE d.rated_at IS NOT NULL END
        GROUP BY 1, 2, 3, 4, 5`);
    }
  });
  await timed('loading the rollup in primary-key order', () => q.query(
    'INSERT INTO dossier_daily_statistics SELECT * FROM stage ORDER BY day, level, receiving_agency_code, handling_agency_code, procedure_code'));
  await q.query('DROP TEMPORARY TABLE stage');
  await timed(`building the rollup's ${statisticsIndexes.length} secondary indexes`, () => q.query(`ALTER TABLE dossier_daily_statistics ${statisticsIndexes.join(', ')}`));
  // The coarser rollups (monthly, and without the procedure), when the schema has them: sums of the daily one.
  const names = [...COUNTERS.map(col), 'fee_collected'].join(', ');
  const agency = 'level, receiving_agency_code, handling_agency_code';
  const coarser: [string, string, string][] = [
    ['dossier_monthly_statistics', 'month', `${agency}, procedure_code`], ['agency_daily_statistics', 'day', agency], ['agency_monthly_statistics', 'month', agency],
  ];
  for (const [table, period, keys] of coarser) {
    if (!(await q.query('SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', [table])).length) continue;
    const from = period === 'month' ? 'SUBSTR(day, 1, 7)' : 'day';
    await timed(`filling ${table} from the daily rollup`, () => q.query(`INSERT INTO ${table} (${period}, ${keys}, ${names})
      SELECT ${from}, ${keys}, ${names.split(', ').map((c) => `SUM(${c})`).join(', ')} FROM dossier_daily_statistics GROUP BY ${from}, ${keys}`));
  }
  await q.query('DROP TEMPORARY TABLE bench_unit');
  await timed('ANALYZE TABLE', () => q.query('ANALYZE TABLE dossier, dossier_daily_statistics'));
  return (performance.now() - started) / 1000;
}

async function main() {
  const { values } = parseArgs({ options: {
    dossiers: { type: 'string' }, 'db-url': { type: 'string' }, fresh: { type: 'boolean' }, runs: { type: 'string' }, warmups: { type: 'string' }, budget: { type: 'string' },
    chunk: { type: 'string' },
  } });
  process.env.LOG_LEVEL ??= 'warn';
  const total = Number(values.dossiers ?? 10_000_000);
  const runs = Number(values.runs ?? 30);
  const warmups = Number(values.warmups ?? 3);
  /** Seconds of measuring per shape, after which a slow shape stops short of `runs` (the table says how many ran). */
  const budget = Number(values.budget ?? 120);
  const chunk = Number(values.chunk ?? 500_000);
  const config = databaseConfig('single-window', {
    DB_URL: values['db-url'] ?? process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306', DB_PREFIX: 'onestop_bench_statistics',
  });
  if (config.kind !== 'mysql') throw new Error('bench:statistics needs MariaDB (mysql://…)');
  const open = () => openDatabase({ config, entities: entitiesOf(singleWindow), migrations: migrationsOf(singleWindow) });

  let db = await open();
  const meta = async () => {
    const [{ n }] = await db.dataSource.query('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', [META]);
    return Number(n) ? ((await db.dataSource.query(`SELECT * FROM ${META}`))[0] as { dossiers: string; generation_seconds: number; generated_at: Date } | undefined) : undefined;
  };
  let data = await meta();
  if (values.fresh || Number(data?.dossiers) !== total) {
    console.log(`Building ${describeDatabase(config)} with ${total.toLocaleString('en')} dossiers${data ? ` (it held ${Number(data.dossiers).toLocaleString('en')})` : ''}…`);
    await db.dataSource.destroy();
    await dropMysqlDatabase(config);
    db = await open();
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    const seconds = await generate(runner, total, chunk);
    await runner.release();
    await db.dataSource.query(`CREATE TABLE ${META} (dossiers BIGINT NOT NULL, generation_seconds DOUBLE NOT NULL, generated_at DATETIME NOT NULL)`);
    await db.dataSource.query(`INSERT INTO ${META} VALUES (?, ?, UTC_TIMESTAMP())`, [total, seconds]);
    data = await meta();
  } else {
    console.log(`Reusing ${describeDatabase(config)} (--fresh rebuilds it).`);
  }

  const q = db.dataSource;
  const [counts] = await q.query(`SELECT COUNT(*) AS open, SUM(appointment_at < ?) AS overdue FROM dossier WHERE status IN (${list(OPEN)})`, [NOW]);
  const [{ rows: rollupRows }] = await q.query('SELECT COUNT(*) AS \`rows\` FROM dossier_daily_statistics');
  const sizes: { name: string; rows: number; data: number; indexes: number }[] = await q.query(
    `SELECT table_name AS name, table_rows AS \`rows\`, data_length AS data, index_length AS indexes FROM information_schema.tables
     WHERE table_schema = DATABASE() AND (table_name = 'dossier' OR table_name LIKE '%statistics') ORDER BY table_name`);
  const [{ pool }] = await q.query('SELECT @@innodb_buffer_pool_size AS pool');
  const mb = (bytes: number) => `${(Number(bytes) / 1048576).toFixed(0)} MB`;
  console.log(`
Data: ${Number(data!.dossiers).toLocaleString('en')} dossiers, ${Number(counts.open).toLocaleString('en')} open now (${Number(counts.overdue).toLocaleString('en')} past their appointment); ${Number(rollupRows).toLocaleString('en')} daily rollup rows.
Generated ${new Date(data!.generated_at).toISOString().slice(0, 16)} in ${(data!.generation_seconds / 60).toFixed(1)} min. "Now" is ${NOW.toISOString()}; InnoDB buffer pool ${mb(pool)}.
| table | rows (estimate) | data | indexes |
|---|---:|---:|---:|`);
  for (const s of sizes) console.log(`| ${s.name} | ${Number(s.rows).toLocaleString('en')} | ${mb(s.data)} | ${mb(s.indexes)} |`);

  const [busiest] = await q.query("SELECT handling_agency_code AS code FROM dossier_daily_statistics WHERE day >= '2026-08-01' AND day <= '2026-09-14' GROUP BY 1 ORDER BY SUM(received) DESC LIMIT 1");
  const year = { from: '2025-01-01', to: '2025-12-31' };
  const shapes: { label: string; filter: ReportFilter; groupBy: Dimension[] }[] = [
    { label: 'year 2025, total (+ open now)', filter: year, groupBy: [] },
    { label: 'year 2025 by LEVEL, HANDLING_AGENCY (+ open now)', filter: year, groupBy: ['LEVEL', 'HANDLING_AGENCY'] },
    { label: 'year 2025 by MONTH', filter: year, groupBy: ['MONTH'] },
    { label: '3 years by QUARTER, PROCEDURE', filter: { from: '2023-11-01', to: '2026-10-31' }, groupBy: ['QUARTER', 'PROCEDURE'] },
    { label: `45 days, agency ${busiest.code}, by PROCEDURE (+ open now)`, filter: { from: '2026-08-01', to: '2026-09-14', handlingAgencyCodes: [busiest.code] }, groupBy: ['PROCEDURE'] },
    { label: 'October 2026 by RECEIVING_UNIT (+ open now)', filter: { from: '2026-10-01', to: '2026-10-31' }, groupBy: ['RECEIVING_UNIT'] },
  ];
  console.log(`\nstatisticsReport, ${warmups} warm-ups then ${runs} runs each, one at a time (at most ${budget} s of runs per shape):
| shape | rows | runs | p50 ms | p99 ms | max ms |
|---|---:|---:|---:|---:|---:|`);
  for (const shape of runs > 0 ? shapes : []) {
    let rows = 0;
    for (let i = 0; i < warmups; i++) await statisticsReport(q, shape.filter, shape.groupBy, NOW);
    const times: number[] = [];
    const started = performance.now();
    while (times.length < runs && performance.now() - started < budget * 1000) {
      const at = performance.now();
      rows = (await statisticsReport(q, shape.filter, shape.groupBy, NOW)).length;
      times.push(performance.now() - at);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${shape.label} | ${rows} | ${times.length} | ${percentile(times, 50).toFixed(0)} | ${percentile(times, 99).toFixed(0)} | ${times.at(-1)!.toFixed(0)} |`);
  }
  await q.destroy();
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
