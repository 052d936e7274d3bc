/*
 * The explorer's bootstrap, served as a file (/explorer/assets/explorer.js) so that the page's Content-Security-Policy
 * allows no inline script. Globals from the UMD builds served before it: React, ReactDOM, GraphiQL.
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

  // ---- saved reports: a GraphiQL plugin listing config.savedQueries; one click opens it in a new tab ----

  function SavedIcon() {
    return h('svg', { viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true' },
      h('path', { d: 'M6 3h12v18l-6-4-6 4z', strokeLinejoin: 'round' }));
  }

  function SavedReports() {
    var editor = GraphiQL.React.useEditorContext({ nonNull: true });
    function open(saved) {
      editor.addTab();
      // The new tab's editors are set once React has switched to it.
      window.setTimeout(function () {
        if (editor.queryEditor) editor.queryEditor.setValue(saved.query);
        if (editor.variableEditor) editor.variableEditor.setValue(saved.variables);
      }, 0);
    }
    return h('section', { className: 'onestop-saved', 'aria-label': 'Saved reports' },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Saved reports'),
      h('p', { className: 'onestop-saved-hint' }, 'Opens in a new tab; change the variables, then run.'),
      h('ul', { className: 'onestop-saved-list' }, config.savedQueries.map(function (saved) {
        return h('li', { key: saved.id },
          h('button', { type: 'button', className: 'onestop-saved-item', 'data-saved-query': saved.id, onClick: function () { open(saved); } },
            h('span', { className: 'onestop-saved-item-title' }, saved.title),
            h('span', { className: 'onestop-saved-item-description' }, saved.description)));
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
    }, h(GraphiQL.Logo, null, 'Explorer'));
  }

  ReactDOM.createRoot(document.getElementById('graphiql')).render(h(App));
})();
