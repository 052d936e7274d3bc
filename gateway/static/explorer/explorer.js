/*
 * The explorer's bootstrap, served as a file (/explorer/assets/explorer.js) so that the page's Content-Security-Policy
 * allows no inline script. Globals from the UMD builds served before it: React, ReactDOM, GraphiQL;
 * OnestopWorkspace (workspace.js) adds the analysts' table, chart and exports under the result pane.
 * Settings come from the page's JSON data block #onestop-explorer-config: { endpoint, title, savedQueries, styleNonce }.
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('onestop-explorer-config').textContent);
  // The page's CSP allows <style> elements with this response's nonce only; GraphiQL's dialogs add one (their scroll
  // lock, via react-remove-scroll) and look for the nonce here.
  window.__webpack_nonce__ = config.styleNonce;
  var h = React.createElement;
  var TOKEN_KEY = 'onestop-explorer:token';
  var endpoint = new URL(config.endpoint, window.location.href).toString();

  // ---- the bearer token: a visible field above GraphiQL, kept in this browser's localStorage ----

  var tokenInput = document.getElementById('onestop-token');
  var tokenToggle = document.getElementById('onestop-token-toggle');
  var tokenClear = document.getElementById('onestop-token-clear');
  var tokenStatus = document.getElementById('onestop-token-status');

  function storage(action, value) {
    try {
      if (action === 'get') return window.localStorage.getItem(TOKEN_KEY);
      if (value) window.localStorage.setItem(TOKEN_KEY, value);
      else window.localStorage.removeItem(TOKEN_KEY);
    } catch (error) {
      // storage disabled: the token lives in the field only
    }
    return null;
  }

  /** The token as typed, without a pasted "Bearer " prefix or whitespace. */
  function currentToken() {
    return tokenInput.value.trim().replace(/^Bearer\s+/i, '');
  }

  /** What the token says about itself (not verified here; the gateway verifies it). */
  function describeToken(token) {
    if (!token) return { text: 'No token: anonymous, public data only', state: 'none' };
    var parts = token.split('.');
    var claims = null;
    if (parts.length === 3) {
      try {
        var base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
        var bytes = Uint8Array.from(window.atob(base64), function (c) { return c.charCodeAt(0); });
        claims = JSON.parse(new TextDecoder().decode(bytes));
      } catch (error) {
        claims = null;
      }
    }
    if (!claims || typeof claims !== 'object') return { text: 'Not a JWT: the gateway will refuse it', state: 'bad' };
    var who = [claims.role, claims.sub].filter(function (v) { return typeof v === 'string' && v; }).join(' ');
    if (typeof claims.exp === 'number') {
      var expires = new Date(claims.exp * 1000);
      if (expires.getTime() <= Date.now()) return { text: (who ? who + ': ' : '') + 'expired at ' + expires.toLocaleString(), state: 'bad' };
      return { text: (who || 'token') + ', expires ' + expires.toLocaleString(), state: 'ok' };
    }
    return { text: who || 'token set', state: 'ok' };
  }

  function showTokenStatus() {
    var described = describeToken(currentToken());
    tokenStatus.textContent = described.text;
    tokenStatus.dataset.state = described.state;
  }

  var tokenListeners = [];
  function tokenCommitted() {
    storage('set', currentToken());
    showTokenStatus();
    tokenListeners.forEach(function (listener) { listener(currentToken()); });
  }

  tokenInput.value = storage('get') || '';
  showTokenStatus();
  tokenInput.addEventListener('input', function () {
    storage('set', currentToken());
    showTokenStatus();
  });
  // A committed change (Enter, leaving the field, Clear) also reloads the schema with the new identity.
  tokenInput.addEventListener('change', tokenCommitted);
  tokenClear.addEventListener('click', function () {
    tokenInput.value = '';
    tokenCommitted();
    tokenInput.focus();
  });
  tokenToggle.addEventListener('click', function () {
    var hidden = tokenInput.type === 'password';
    tokenInput.type = hidden ? 'text' : 'password';
    tokenToggle.textContent = hidden ? 'Hide' : 'Show';
  });

  /** Every request carries the token, unless the headers editor already sets Authorization itself. */
  function fetchWithToken(input, init) {
    var options = Object.assign({}, init);
    var headers = new Headers(options.headers || {});
    var token = currentToken();
    if (token && !headers.has('authorization')) headers.set('authorization', 'Bearer ' + token);
    options.headers = headers;
    options.credentials = 'omit';
    return window.fetch(input, options);
  }

  // ---- saved reports: the usual ones (config.savedQueries) and the analyst's own, kept in this browser ----

  var REPORTS_KEY = 'onestop-explorer:reports';
  var REPORT_TABS_KEY = 'onestop-explorer:report-tabs';

  function readJson(key, fallback) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (error) {
      return fallback;
    }
  }

  function writeJson(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      // storage disabled or full: kept for this page only
    }
  }

  /** The analyst's own reports: [{ id, title, query, variables, savedAt }]. */
  function ownReports() {
    var reports = readJson(REPORTS_KEY, []);
    return Array.isArray(reports) ? reports.filter(function (r) { return r && typeof r.id === 'string' && typeof r.query === 'string'; }) : [];
  }

  var sameText = function (a, b) { return String(a || '').replace(/\s+/g, ' ').trim() === String(b || '').replace(/\s+/g, ' ').trim(); };

  function SavedIcon() {
    return h('svg', { viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true' },
      h('path', { d: 'M6 3h12v18l-6-4-6 4z', strokeLinejoin: 'round' }));
  }

  function ReportButton(props) {
    var report = props.report;
    return h('li', { className: 'onestop-saved-row' },
      h('button', { type: 'button', className: 'onestop-saved-item', 'data-saved-query': report.id, onClick: function () { props.onOpen(report); } },
        h('span', { className: 'onestop-saved-item-title' }, report.title),
        report.description ? h('span', { className: 'onestop-saved-item-description' }, report.description) : null),
      props.onDelete
        ? h('button', { type: 'button', className: 'onestop-saved-delete', 'aria-label': 'Xóa báo cáo ' + report.title, 'data-delete-report': report.id,
          onClick: function () { props.onDelete(report); } }, '×')
        : null);
  }

  function SavedReports() {
    var editor = GraphiQL.React.useEditorContext({ nonNull: true });
    var latest = React.useRef(editor);
    latest.current = editor;
    var own = React.useState(ownReports);
    var reports = own[0];
    var setReports = own[1];
    var titleState = React.useState('');
    var title = titleState[0];
    var setTitle = titleState[1];

    /** One tab per report: its tab if it is still open (or a tab with its very query), else a new one. */
    function open(report) {
      var tabs = latest.current.tabs;
      var known = readJson(REPORT_TABS_KEY, {});
      var index = tabs.findIndex(function (tab) { return tab.id === known[report.id]; });
      if (index < 0) index = tabs.findIndex(function (tab) { return sameText(tab.query, report.query); });
      if (index >= 0) {
        known[report.id] = tabs[index].id;
        writeJson(REPORT_TABS_KEY, known);
        latest.current.changeTab(index);
        return;
      }
      latest.current.addTab();
      // The new tab's editors are set once React has switched to it.
      window.setTimeout(function () {
        var now = latest.current;
        if (now.queryEditor) now.queryEditor.setValue(report.query);
        if (now.variableEditor) now.variableEditor.setValue(report.variables || '');
        var tab = now.tabs[now.activeTabIndex];
        if (tab) {
          var map = readJson(REPORT_TABS_KEY, {});
          map[report.id] = tab.id;
          writeJson(REPORT_TABS_KEY, map);
        }
      }, 0);
    }

    function save(event) {
      event.preventDefault();
      var name = title.trim();
      var query = editor.queryEditor ? editor.queryEditor.getValue() : '';
      if (!name || !query.trim()) return;
      var tab = editor.tabs[editor.activeTabIndex];
      var report = {
        id: 'own-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 8),
        title: name,
        query: query,
        variables: editor.variableEditor ? editor.variableEditor.getValue() : '',
        savedAt: new Date().toISOString(),
      };
      var next = ownReports().concat([report]);
      writeJson(REPORTS_KEY, next);
      if (tab) {
        var map = readJson(REPORT_TABS_KEY, {});
        map[report.id] = tab.id;
        writeJson(REPORT_TABS_KEY, map);
      }
      setReports(next);
      setTitle('');
    }

    function remove(report) {
      var next = ownReports().filter(function (r) { return r.id !== report.id; });
      writeJson(REPORTS_KEY, next);
      var map = readJson(REPORT_TABS_KEY, {});
      delete map[report.id];
      writeJson(REPORT_TABS_KEY, map);
      setReports(next);
    }

    return h('section', { className: 'onestop-saved', 'aria-label': 'Saved reports' },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Saved reports'),
      h('p', { className: 'onestop-saved-hint' }, 'Opens in its own tab (again: the same tab); change the variables, then run.'),
      h('form', { className: 'onestop-saved-form', onSubmit: save },
        h('input', { type: 'text', className: 'onestop-saved-title', value: title, maxLength: 120, required: true, 'aria-label': 'Tên báo cáo',
          placeholder: 'Tên báo cáo (lưu tab hiện tại)', onChange: function (e) { setTitle(e.target.value); } }),
        h('button', { type: 'submit', className: 'onestop-saved-save', 'data-save-report': '' }, 'Lưu')),
      reports.length ? h('h3', { className: 'onestop-saved-heading' }, 'Báo cáo của tôi') : null,
      reports.length ? h('ul', { className: 'onestop-saved-list', 'data-own-reports': '' }, reports.map(function (report) {
        return h(ReportButton, { key: report.id, report: report, onOpen: open, onDelete: remove });
      })) : null,
      h('h3', { className: 'onestop-saved-heading' }, 'Báo cáo thường dùng'),
      h('ul', { className: 'onestop-saved-list' }, config.savedQueries.map(function (saved) {
        return h(ReportButton, { key: saved.id, report: saved, onOpen: open });
      })));
  }

  var savedPlugin = { title: 'Saved reports', icon: SavedIcon, content: SavedReports };
  // One array for good: GraphiQL re-applies `visiblePlugin` whenever the plugin list changes identity.
  var plugins = [savedPlugin];

  // ---- GraphiQL ----

  var firstVisit = (function () {
    try { return window.localStorage.getItem('graphiql:tabState') === null; } catch (error) { return true; }
  })();
  var first = config.savedQueries[0];

  function App() {
    var state = React.useState(0);
    var generation = state[0];
    var setGeneration = state[1];
    React.useEffect(function () {
      var listener = function () { setGeneration(function (n) { return n + 1; }); };
      tokenListeners.push(listener);
      return function () { tokenListeners.splice(tokenListeners.indexOf(listener), 1); };
    }, []);
    // A new fetcher makes GraphiQL introspect again: who may see the schema depends on the token.
    var fetcher = React.useMemo(function () {
      return GraphiQL.createFetcher({ url: endpoint, fetch: fetchWithToken });
    }, [generation]);
    return h(GraphiQL, {
      fetcher: fetcher,
      plugins: plugins,
      // First visit: the saved reports are open and the first one is ready to run.
      visiblePlugin: firstVisit ? savedPlugin : undefined,
      defaultTabs: first ? [{ query: first.query, variables: first.variables }] : undefined,
      // GraphiQL fills the variables editor from this (or storage), not from defaultTabs: give it on first visit only.
      variables: firstVisit && first ? first.variables : undefined,
      defaultEditorToolsVisibility: 'variables',
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    }, h(GraphiQL.Logo, null, 'Explorer'), h(GraphiQL.Footer, null, h(OnestopWorkspace.Footer)));
  }

  ReactDOM.createRoot(document.getElementById('graphiql')).render(h(App));
})();
