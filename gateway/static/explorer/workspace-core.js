/*
 * The analysts' workspace, the part without a screen: lists found in a GraphQL result, their columns and units,
 * CSV and XLSX files, the center report's series and the Decision 766 indicators in Vietnamese. No DOM, no React:
 * the page loads it as window.OnestopWorkspaceCore, the unit tests require it.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.OnestopWorkspaceCore = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  /** Vietnam keeps UTC+7 all year (no daylight saving since 1975). */
  var TIME_ZONE = 'Asia/Ho_Chi_Minh';
  var ICT_OFFSET_MS = 7 * 3600 * 1000;
  var ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

  function isPlainObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  /**
   * Every list of a result (arrays anywhere, also inside the rows of another list), by its path: e.g.
   * "procedures.items", "enterprises.items[].businessLines". The rows of a nested list are those of all its parents.
   */
  function findLists(data) {
    var lists = [];
    function visit(value, path) {
      if (Array.isArray(value)) {
        lists.push({ path: path, rows: value });
        var nested = {};
        value.forEach(function (row) {
          if (!isPlainObject(row)) return;
          Object.keys(row).forEach(function (key) {
            if (Array.isArray(row[key]) || isPlainObject(row[key])) (nested[key] = nested[key] || []).push(row[key]);
          });
        });
        Object.keys(nested).forEach(function (key) {
          var parts = nested[key];
          var childPath = path + '[].' + key;
          if (Array.isArray(parts[0])) lists.push({ path: childPath, rows: [].concat.apply([], parts) });
          // lists deeper inside objects of the rows (e.g. items[].parcel.owners) are left to the flattened columns
        });
        return;
      }
      if (isPlainObject(value)) {
        Object.keys(value).forEach(function (key) { visit(value[key], path ? path + '.' + key : key); });
      }
    }
    visit(data, '');
    return lists;
  }

  /**
   * The graph gives percentages in two units: the statistics' *Share fields and land's sharePercent in percent points
   * (0–100), the 766 indicators' ratio and threshold as fractions (0–1). Known by their names; shown in one unit.
   */
  function unitOf(key) {
    var last = key.split('.').pop();
    if (last === 'ratio' || last === 'threshold' || last === 'fraction') return 'fraction';
    if (/(Share|Percent)$/.test(last) || last === 'share' || last === 'percent') return 'percent';
    return null;
  }

  /** A row as one level of columns: objects become dotted names, lists of values are joined, lists of rows counted. */
  function flattenRow(row) {
    var flat = {};
    function put(value, key) {
      if (isPlainObject(value)) {
        var keys = Object.keys(value);
        if (!keys.length) flat[key] = null;
        keys.forEach(function (k) { put(value[k], key ? key + '.' + k : k); });
      } else if (Array.isArray(value)) {
        flat[key] = value.every(function (v) { return !isPlainObject(v) && !Array.isArray(v); })
          ? value.map(function (v) { return v === null ? '' : String(v); }).join(', ')
          : value.length + ' ×';
      } else {
        flat[key] = value === undefined ? null : value;
      }
    }
    put(isPlainObject(row) ? row : { value: row }, '');
    return flat;
  }

  /** Columns (in order of first appearance) with their kind: percent, datetime, number, boolean or text. */
  function tabulate(rows) {
    var flatRows = rows.map(flattenRow);
    var order = [];
    var seen = {};
    flatRows.forEach(function (row) {
      Object.keys(row).forEach(function (key) {
        if (!seen[key]) { seen[key] = true; order.push(key); }
      });
    });
    var columns = order.map(function (key) {
      var values = flatRows.map(function (row) { return row[key]; }).filter(function (v) { return v !== null && v !== undefined && v !== ''; });
      var unit = unitOf(key);
      var kind = 'text';
      if (values.length && values.every(function (v) { return typeof v === 'number'; })) kind = unit ? 'percent' : 'number';
      else if (values.length && values.every(function (v) { return typeof v === 'boolean'; })) kind = 'boolean';
      else if (values.length && values.every(function (v) { return typeof v === 'string' && ISO_DATE_TIME.test(v); })) kind = 'datetime';
      return { key: key, label: key, kind: kind, unit: kind === 'percent' ? unit : null };
    });
    return { columns: columns, rows: flatRows };
  }

  /** Percentages in one unit, percent points, whatever unit the field has in the graph. */
  function percentPoints(column, value) {
    return column.unit === 'fraction' ? value * 100 : value;
  }

  var numberFormat = typeof Intl !== 'undefined' ? new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }) : null;
  var percentFormat = typeof Intl !== 'undefined' ? new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 }) : null;
  var timeFormat = typeof Intl !== 'undefined'
    ? new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
    : null;

  /** What a cell shows: vi-VN numbers, percentages as "85,3 %", times in Asia/Ho_Chi_Minh. */
  function formatCell(column, value) {
    if (value === null || value === undefined || value === '') return '';
    switch (column.kind) {
      case 'percent': return percentFormat.format(percentPoints(column, value)) + ' %';
      case 'number': return numberFormat.format(value);
      case 'boolean': return value ? 'có' : 'không';
      case 'datetime': {
        // "05/03/2026 16:30": day first, as written in Vietnam, whatever order the browser's locale data prefers
        var parts = {};
        timeFormat.formatToParts(new Date(value)).forEach(function (part) { parts[part.type] = part.value; });
        return parts.day + '/' + parts.month + '/' + parts.year + ' ' + (parts.hour === '24' ? '00' : parts.hour) + ':' + parts.minute;
      }
      default: return String(value);
    }
  }

  /** "2026-03-05 16:30:00", the wall-clock time in Vietnam of an ISO instant (what CSV and XLSX carry). */
  function vietnamTime(iso) {
    var shifted = new Date(Date.parse(iso) + ICT_OFFSET_MS).toISOString();
    return shifted.slice(0, 10) + ' ' + shifted.slice(11, 19);
  }

  /** The header of a column in a file: its unit written in (percent points; times in Vietnam). */
  function fileHeader(column) {
    if (column.kind === 'percent') return column.label + ' (%)';
    if (column.kind === 'datetime') return column.label + ' (UTC+7)';
    return column.label;
  }

  var round = function (value, places) { return Math.round(value * Math.pow(10, places)) / Math.pow(10, places); };

  function csvCell(column, value) {
    if (value === null || value === undefined) return '';
    var text;
    if (column && column.kind === 'percent') text = String(round(percentPoints(column, value), 4));
    else if (column && column.kind === 'datetime') text = vietnamTime(value);
    else text = String(value);
    // A text starting like a formula is not run by a spreadsheet (OWASP: CSV injection).
    if ((!column || column.kind === 'text') && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n;]/.test(text) || /^\s|\s$/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  /** RFC 4180 CSV with a UTF-8 byte order mark, so Excel opens the Vietnamese text as UTF-8. */
  function toCsv(table) {
    var lines = [table.columns.map(function (c) { return csvCell(null, fileHeader(c)); }).join(',')];
    table.rows.forEach(function (row) {
      lines.push(table.columns.map(function (c) { return csvCell(c, row[c.key]); }).join(','));
    });
    return '\uFEFF' + lines.join('\r\n') + '\r\n';
  }

  // ---- XLSX: the smallest SpreadsheetML package Excel and LibreOffice open (zipped by fflate) ----

  function xmlText(value) {
    // characters XML 1.0 cannot carry are dropped
    return String(value).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }

  function columnName(index) {
    var name = '';
    for (var n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    return name;
  }

  /** Days since 1899-12-30 of the Vietnam wall-clock time: an Excel date serial. */
  function excelSerial(iso) {
    return (Date.parse(iso) + ICT_OFFSET_MS) / 86400000 + 25569;
  }

  // Style indexes in styles.xml: 1 header (bold), 2 percent (0.0 %), 3 date and time, 4 number.
  var STYLES = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/></numFmts>' +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
    '</styleSheet>';

  function xlsxCell(ref, column, value) {
    if (value === null || value === undefined || value === '') return '';
    if (column.kind === 'percent') return '<c r="' + ref + '" s="2"><v>' + (column.unit === 'fraction' ? value : value / 100) + '</v></c>';
    if (column.kind === 'datetime') return '<c r="' + ref + '" s="3"><v>' + excelSerial(value) + '</v></c>';
    if (column.kind === 'number') return '<c r="' + ref + '"' + (Number.isInteger(value) ? '' : ' s="4"') + '><v>' + value + '</v></c>';
    if (column.kind === 'boolean') return '<c r="' + ref + '" t="b"><v>' + (value ? 1 : 0) + '</v></c>';
    return '<c r="' + ref + '" t="inlineStr"><is><t xml:space="preserve">' + xmlText(value) + '</t></is></c>';
  }

  /**
   * One sheet: a bold header row, numbers as numbers, percentages as fractions shown "0.0%", times as Excel dates of
   * Vietnam's wall clock. `zipSync` is fflate's (page: window.fflate, tests: require('fflate')).
   */
  function toXlsx(table, sheetName, zipSync) {
    var header = '<row r="1">' + table.columns.map(function (c, i) {
      return '<c r="' + columnName(i) + '1" s="1" t="inlineStr"><is><t>' + xmlText(fileHeader(c)) + '</t></is></c>';
    }).join('') + '</row>';
    var body = table.rows.map(function (row, r) {
      return '<row r="' + (r + 2) + '">' + table.columns.map(function (c, i) { return xlsxCell(columnName(i) + (r + 2), c, row[c.key]); }).join('') + '</row>';
    }).join('');
    var cols = table.columns.length
      ? '<cols>' + table.columns.map(function (c, i) {
        var width = Math.min(60, Math.max(10, fileHeader(c).length + 2));
        return '<col min="' + (i + 1) + '" max="' + (i + 1) + '" width="' + width + '" customWidth="1"/>';
      }).join('') + '</cols>'
      : '';
    var sheet = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
      cols + '<sheetData>' + header + body + '</sheetData></worksheet>';
    // Excel refuses sheet names over 31 characters or with []:*?/\
    var name = xmlText(String(sheetName || 'Sheet1').replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1');
    var files = {
      '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        '</Types>',
      '_rels/.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
        '</Relationships>',
      'xl/workbook.xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        '<sheets><sheet name="' + name + '" sheetId="1" r:id="rId1"/></sheets></workbook>',
      'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
        '</Relationships>',
      'xl/styles.xml': STYLES,
      'xl/worksheets/sheet1.xml': sheet,
    };
    var encoder = new TextEncoder();
    var zipped = {};
    Object.keys(files).forEach(function (file) { zipped[file] = encoder.encode(files[file]); });
    return zipSync(zipped, { level: 6 });
  }

  // ---- the center report (dossierStatistics) ----

  /** Decision 766/QĐ-TTg: the groups and the indicators this registry computes, by their Vietnamese names. */
  var INDICATOR_GROUPS = {
    TRANSPARENCY: 'Công khai, minh bạch',
    TIMELINESS: 'Tiến độ giải quyết',
    ONLINE_SERVICES: 'Dịch vụ công trực tuyến',
    ONLINE_PAYMENT: 'Thanh toán trực tuyến',
    SATISFACTION: 'Mức độ hài lòng',
    DIGITISATION: 'Số hóa hồ sơ',
  };
  var INDICATOR_NAMES = {
    '2.1': 'Hồ sơ giải quyết trước hạn, đúng hạn và đang giải quyết còn trong hạn ÷ hồ sơ đã và đang giải quyết',
    '3.1': 'Thủ tục hành chính cung cấp dịch vụ công trực tuyến ÷ thủ tục hành chính trong danh mục',
    '3.2': 'Dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến ÷ dịch vụ công trực tuyến',
    '3.3': 'Hồ sơ nộp trực tuyến ÷ tổng số hồ sơ tiếp nhận',
    '3.6': 'Hồ sơ thanh toán trực tuyến ÷ hồ sơ của thủ tục có phí, lệ phí',
    '4.1': 'Kết quả giải quyết cấp bản điện tử ÷ kết quả của thủ tục trả kết quả bản giấy',
    '4.2': 'Hồ sơ được số hóa khi tiếp nhận ÷ hồ sơ tiếp nhận',
    '4.3': 'Hồ sơ tái sử dụng dữ liệu đã số hóa ÷ hồ sơ tiếp nhận',
    '5.2': 'Phản ánh, kiến nghị được xử lý đúng hạn ÷ phản ánh, kiến nghị tiếp nhận',
    '5.4': '100 % − (tỷ lệ hồ sơ trễ hạn + tỷ lệ đánh giá không hài lòng)',
  };

  /** The 766 indicators as a table of Vietnamese names, ratio and threshold in percent, points of the maximum. */
  function indicatorTable(indicators) {
    var columns = [
      { key: 'id', label: 'Chỉ số', kind: 'text' },
      { key: 'group', label: 'Nhóm', kind: 'text' },
      { key: 'name', label: 'Tên chỉ số', kind: 'text' },
      { key: 'ratio', label: 'Tỷ lệ', kind: 'percent', unit: 'fraction' },
      { key: 'threshold', label: 'Ngưỡng', kind: 'percent', unit: 'fraction' },
      { key: 'points', label: 'Điểm', kind: 'number' },
      { key: 'maxPoints', label: 'Điểm tối đa', kind: 'number' },
    ];
    var rows = indicators.map(function (indicator) {
      return {
        id: indicator.id,
        group: INDICATOR_GROUPS[indicator.group] || indicator.group || null,
        name: INDICATOR_NAMES[indicator.id] || indicator.name || null,
        ratio: indicator.ratio === undefined ? null : indicator.ratio,
        threshold: indicator.threshold === undefined ? null : indicator.threshold,
        points: indicator.points === undefined ? null : indicator.points,
        maxPoints: indicator.maxPoints === undefined ? null : indicator.maxPoints,
      };
    });
    var sum = function (key) {
      return round(rows.reduce(function (total, row) { return total + (typeof row[key] === 'number' ? row[key] : 0); }, 0), 2);
    };
    rows.push({ id: 'Tổng', group: null, name: 'Tổng điểm các chỉ số tính được', ratio: null, threshold: null, points: sum('points'), maxPoints: sum('maxPoints') });
    return { columns: columns, rows: rows };
  }

  /** The statistics block of a result, if it is a center report. */
  function centerReport(data) {
    var stats = data && data.dossierStatistics;
    return isPlainObject(stats) && Array.isArray(stats.rows) ? stats : null;
  }

  var DIMENSIONS = {
    month: { label: 'Tháng', of: function (row) { return row.period === undefined ? undefined : row.period; } },
    agency: {
      label: 'Cơ quan giải quyết',
      of: function (row) {
        if (row.handlingAgency === undefined && row.handlingAgencyCode === undefined) return undefined;
        var agency = row.handlingAgency;
        return (agency && (agency.name || agency.code)) || row.handlingAgencyCode || null;
      },
    },
    level: { label: 'Cấp', of: function (row) { return row.level === undefined ? undefined : row.level; } },
  };

  /** Which of month, agency and level the report's rows carry. */
  function reportDimensions(stats) {
    return Object.keys(DIMENSIONS).filter(function (d) {
      return stats.rows.length > 0 && stats.rows.every(function (row) { return DIMENSIONS[d].of(row) !== undefined; });
    });
  }

  /**
   * Early / on time / late (counts and shares of the resolved) and satisfaction (very satisfied + satisfied, of the
   * ratings) by month, agency or level: the report's rows summed over the other dimensions.
   */
  function reportSeries(stats, dimension) {
    var of = DIMENSIONS[dimension].of;
    var groups = {};
    var order = [];
    stats.rows.forEach(function (row) {
      var key = of(row);
      var label = key === null ? '(không rõ)' : String(key);
      if (!groups[label]) {
        groups[label] = { group: label, resolved: 0, early: 0, onTime: 0, late: 0, ratings: 0, satisfied: 0 };
        order.push(label);
      }
      var g = groups[label];
      g.resolved += row.resolved || 0;
      g.early += row.early || 0;
      g.onTime += row.onTime || 0;
      g.late += row.late || 0;
      if (typeof row.ratings === 'number' && row.ratings > 0) {
        g.ratings += row.ratings;
        // the row's shares are in percent points
        g.satisfied += (((row.verySatisfiedShare || 0) + (row.satisfiedShare || 0)) / 100) * row.ratings;
      }
    });
    if (dimension === 'month') order.sort();
    var share = function (part, whole) { return whole > 0 ? round(part / whole, 4) : null; };
    var rows = order.map(function (label) {
      var g = groups[label];
      return {
        group: label, resolved: g.resolved, early: g.early, onTime: g.onTime, late: g.late,
        earlyShare: share(g.early, g.resolved), onTimeShare: share(g.onTime, g.resolved), lateShare: share(g.late, g.resolved),
        ratings: g.ratings, satisfiedShare: share(g.satisfied, g.ratings),
      };
    });
    var columns = [
      { key: 'group', label: DIMENSIONS[dimension].label, kind: 'text' },
      { key: 'resolved', label: 'Đã giải quyết', kind: 'number' },
      { key: 'early', label: 'Trước hạn', kind: 'number' },
      { key: 'onTime', label: 'Đúng hạn', kind: 'number' },
      { key: 'late', label: 'Trễ hạn', kind: 'number' },
      { key: 'earlyShare', label: 'Trước hạn', kind: 'percent', unit: 'fraction' },
      { key: 'onTimeShare', label: 'Đúng hạn', kind: 'percent', unit: 'fraction' },
      { key: 'lateShare', label: 'Trễ hạn', kind: 'percent', unit: 'fraction' },
      { key: 'ratings', label: 'Lượt đánh giá', kind: 'number' },
      { key: 'satisfiedShare', label: 'Hài lòng', kind: 'percent', unit: 'fraction' },
    ];
    return { columns: columns, rows: rows };
  }

  return {
    TIME_ZONE: TIME_ZONE,
    DIMENSIONS: DIMENSIONS,
    INDICATOR_NAMES: INDICATOR_NAMES,
    INDICATOR_GROUPS: INDICATOR_GROUPS,
    findLists: findLists,
    flattenRow: flattenRow,
    tabulate: tabulate,
    percentPoints: percentPoints,
    formatCell: formatCell,
    vietnamTime: vietnamTime,
    fileHeader: fileHeader,
    toCsv: toCsv,
    toXlsx: toXlsx,
    excelSerial: excelSerial,
    columnName: columnName,
    indicatorTable: indicatorTable,
    centerReport: centerReport,
    reportDimensions: reportDimensions,
    reportSeries: reportSeries,
  };
});
