/*
 * The analysts' workspace: the active tab's result as a table, a chart (center report) or the 766 indicators, exported
 * as CSV or XLSX. Globals: React, ReactDOM, GraphiQL, Chart (Chart.js), fflate, OnestopWorkspaceCore. explorer.js puts
 * OnestopWorkspace.Footer in GraphiQL's response pane; the workspace itself covers the editors (#onestop-workspace).
 */
(function () {
  'use strict';

  var h = React.createElement;
  var core = window.OnestopWorkspaceCore;

  /** The active tab's response, parsed, updated as it changes. */
  function useResult() {
    var editor = GraphiQL.React.useEditorContext({ nonNull: true });
    var response = editor.responseEditor;
    var state = React.useState(function () { return response ? response.getValue() : ''; });
    var text = state[0];
    var setText = state[1];
    React.useEffect(function () {
      if (!response) return undefined;
      var changed = function () { setText(response.getValue()); };
      changed();
      response.on('change', changed);
      return function () { response.off('change', changed); };
    }, [response]);
    return React.useMemo(function () {
      if (!text) return null;
      try {
        var parsed = JSON.parse(text);
        return parsed && typeof parsed === 'object' ? parsed : null;
      } catch (error) {
        return null; // still streaming, or not JSON
      }
    }, [text]);
  }

  function download(name, type, bytes) {
    var url = URL.createObjectURL(new Blob([bytes], { type: type }));
    var link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function fileStem(name) {
    return (String(name || 'result').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')
      .replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'result');
  }

  function Table(props) {
    var table = props.table;
    var sort = React.useState(null);
    var sortBy = sort[0];
    var setSortBy = sort[1];
    var rows = table.rows;
    if (sortBy) {
      rows = rows.slice().sort(function (a, b) {
        var x = a[sortBy.key];
        var y = b[sortBy.key];
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        var order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'vi');
        return sortBy.descending ? -order : order;
      });
    }
    return h('div', { className: 'onestop-table-wrap' },
      h('table', { className: 'onestop-table', 'data-table': props.name },
        h('thead', null, h('tr', null, table.columns.map(function (column) {
          var sorted = sortBy && sortBy.key === column.key ? (sortBy.descending ? ' ▼' : ' ▲') : '';
          return h('th', {
            key: column.key,
            scope: 'col',
            className: 'onestop-col-' + column.kind,
            title: column.kind === 'percent' ? 'phần trăm (%)' : column.kind === 'datetime' ? 'giờ Việt Nam (Asia/Ho_Chi_Minh)' : undefined,
            onClick: function () { setSortBy({ key: column.key, descending: sortBy && sortBy.key === column.key ? !sortBy.descending : false }); },
          }, column.label + sorted);
        }))),
        h('tbody', null, rows.map(function (row, r) {
          return h('tr', { key: r }, table.columns.map(function (column) {
            return h('td', { key: column.key, className: 'onestop-col-' + column.kind }, core.formatCell(column, row[column.key]));
          }));
        }))),
      h('p', { className: 'onestop-table-count' }, rows.length + ' dòng'));
  }

  var COLOURS = { early: 'hsl(200, 70%, 50%)', onTime: 'hsl(140, 55%, 45%)', late: 'hsl(0, 70%, 55%)', satisfied: 'hsl(35, 90%, 50%)' };

  function ReportChart(props) {
    var canvas = React.useRef(null);
    var series = props.series;
    React.useEffect(function () {
      var labels = series.rows.map(function (row) { return row.group; });
      var bar = function (key, label) {
        return { type: 'bar', label: label, data: series.rows.map(function (row) { return row[key]; }), backgroundColor: COLOURS[key], stack: 'resolved', yAxisID: 'count' };
      };
      var chart = new Chart(canvas.current, {
        data: {
          labels: labels,
          datasets: [
            bar('early', 'Trước hạn'),
            bar('onTime', 'Đúng hạn'),
            bar('late', 'Trễ hạn'),
            {
              type: 'line', label: 'Hài lòng (%)', yAxisID: 'percent', borderColor: COLOURS.satisfied, backgroundColor: COLOURS.satisfied,
              data: series.rows.map(function (row) { return row.satisfiedShare === null ? null : Math.round(row.satisfiedShare * 1000) / 10; }),
            },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          locale: 'vi-VN',
          scales: {
            x: { stacked: true },
            count: { type: 'linear', position: 'left', stacked: true, beginAtZero: true, title: { display: true, text: 'Hồ sơ đã giải quyết' } },
            percent: { type: 'linear', position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: 'Hài lòng (%)' } },
          },
          plugins: { legend: { position: 'bottom' } },
        },
      });
      return function () { chart.destroy(); };
    }, [series]);
    return h('div', { className: 'onestop-chart' }, h('canvas', { ref: canvas, role: 'img', 'aria-label': 'Trước hạn, đúng hạn, trễ hạn và mức độ hài lòng' }));
  }

  /** The views a result offers: each list as a table; for a center report its chart and its 766 indicators. */
  function viewsOf(result) {
    var views = [];
    var data = result && result.data;
    if (!data) return views;
    var stats = core.centerReport(data);
    if (stats) {
      core.reportDimensions(stats).forEach(function (dimension) {
        views.push({ id: 'chart:' + dimension, label: 'Biểu đồ theo ' + core.DIMENSIONS[dimension].label.toLowerCase(), kind: 'chart', dimension: dimension, stats: stats });
      });
      if (Array.isArray(stats.indicators)) views.push({ id: 'indicators', label: 'Chỉ số 766', kind: 'indicators', indicators: stats.indicators });
    }
    core.findLists(data).forEach(function (list) {
      views.push({ id: 'list:' + list.path, label: 'Bảng ' + list.path, kind: 'table', path: list.path, rows: list.rows });
    });
    return views;
  }

  function tableOf(view) {
    if (view.kind === 'chart') return core.reportSeries(view.stats, view.dimension);
    if (view.kind === 'indicators') return core.indicatorTable(view.indicators);
    return core.tabulate(view.rows);
  }

  function Workspace(props) {
    var views = props.views;
    var view = views.find(function (v) { return v.id === props.viewId; }) || views[0];
    var table = React.useMemo(function () { return view ? tableOf(view) : null; }, [view]);
    React.useEffect(function () {
      var onKey = function (event) { if (event.key === 'Escape') props.onClose(); };
      window.addEventListener('keydown', onKey);
      return function () { window.removeEventListener('keydown', onKey); };
    }, [props.onClose]);
    var stem = fileStem((props.operationName || 'result') + '-' + (view ? view.id.replace(/^list:/, '') : ''));
    return h('section', { className: 'onestop-workspace-panel', 'aria-label': 'Không gian phân tích' },
      h('header', { className: 'onestop-workspace-header' },
        h('strong', null, 'Không gian phân tích · ' + (props.operationName || 'kết quả')),
        h('label', { className: 'onestop-workspace-view' }, 'Xem ',
          h('select', { value: view ? view.id : '', onChange: function (event) { props.onView(event.target.value); }, 'data-workspace-view': '' },
            views.map(function (v) { return h('option', { key: v.id, value: v.id }, v.label); }))),
        h('button', { type: 'button', className: 'onestop-workspace-button', disabled: !table, 'data-export': 'csv',
          onClick: function () { download(stem + '.csv', 'text/csv;charset=utf-8', core.toCsv(table)); } }, 'CSV'),
        h('button', { type: 'button', className: 'onestop-workspace-button', disabled: !table, 'data-export': 'xlsx',
          onClick: function () {
            download(stem + '.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', core.toXlsx(table, view.label, fflate.zipSync));
          } }, 'XLSX'),
        h('span', { className: 'onestop-workspace-note' }, 'Giờ Việt Nam (UTC+7) · tỷ lệ tính bằng %'),
        h('button', { type: 'button', className: 'onestop-workspace-button onestop-workspace-close', onClick: props.onClose }, 'Đóng (Esc)')),
      h('div', { className: 'onestop-workspace-body' },
        !view ? h('p', null, 'Kết quả không có danh sách nào.') : null,
        view && view.kind === 'chart' ? h(ReportChart, { series: table }) : null,
        table ? h(Table, { table: table, name: view.id, key: view.id }) : null));
  }

  /** In the response pane: opens the workspace on the active tab's result. */
  function Footer() {
    var result = useResult();
    var editor = GraphiQL.React.useEditorContext({ nonNull: true });
    var tab = editor.tabs[editor.activeTabIndex];
    var views = React.useMemo(function () { return viewsOf(result); }, [result]);
    var open = React.useState(null);
    var viewId = open[0];
    var setViewId = open[1];
    var close = React.useCallback(function () { setViewId(null); }, []);
    // Another tab, another result: the workspace closes rather than show the previous one.
    React.useEffect(close, [tab && tab.id]);
    var host = document.getElementById('onestop-workspace');
    var first = function (kind) { return views.find(function (v) { return v.kind === kind; }); };
    var button = function (kind, label) {
      var target = first(kind);
      return target ? h('button', { key: kind, type: 'button', className: 'onestop-workspace-button', 'data-workspace-open': kind, onClick: function () { setViewId(target.id); } }, label) : null;
    };
    return h('div', { className: 'onestop-workspace-bar' },
      views.length ? [button('table', 'Bảng · Table'), button('chart', 'Biểu đồ · Chart'), button('indicators', 'Chỉ số 766')]
        : h('span', { className: 'onestop-workspace-note' }, 'Chạy một truy vấn có danh sách để xem dạng bảng, biểu đồ, CSV, XLSX.'),
      viewId && host ? ReactDOM.createPortal(h(Workspace, { views: views, viewId: viewId, onView: setViewId, onClose: close, operationName: tab && tab.title }), host) : null);
  }

  window.OnestopWorkspace = { Footer: Footer, viewsOf: viewsOf };
})();
