import { randomBytes } from 'node:crypto';
import type { Asset } from './assets';
import { ASSET_PREFIX } from './assets';
import type { SavedQuery } from './saved-queries';

/**
 * Only this origin, for everything: no inline or evaluated script (the bootstrap is a served file, its settings a JSON
 * data block, which is not executed), no CDN, no external font. GraphiQL's own fonts and icons are data: URLs inside
 * its CSS; the editors' font (fonts.css) is served from here; exports are blob: downloads, which fetch nothing.
 * React sets styles through the CSSOM, which style-src does not govern; the one <style> element GraphiQL
 * adds at run time (the scroll lock of its dialogs) carries this response's nonce, which the bootstrap hands to it.
 */
export function explorerCsp(styleNonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${styleNonce}'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A fresh nonce for each response of the page. */
export function styleNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Headers of the page itself. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-cache',
};

export interface ExplorerPageSettings {
  /** The GraphQL endpoint, relative to the page (e.g. "graphql" for /graphql beside /explorer). */
  endpoint: string;
  title: string;
  savedQueries: readonly SavedQuery[];
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON that cannot close its <script> element or open a comment in it. */
export const jsonForScript = (value: unknown) =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/**
 * The explorer page: a token bar above GraphiQL, assets by versioned relative URLs (so it works behind a path prefix).
 * Returns the renderer of one response: everything but the style nonce is prepared once.
 */
export function explorerPage(settings: ExplorerPageSettings, assets: Map<string, Asset>): (styleNonce: string) => string {
  const url = (name: string) => {
    const asset = assets.get(name);
    if (!asset) throw new Error(`explorer page needs asset ${name}`);
    return escapeHtml(`${ASSET_PREFIX}${name}?v=${asset.version}`);
  };
  const script = (name: string) => `<script src="${url(name)}"></script>`;
  const style = (name: string) => `<link rel="stylesheet" href="${url(name)}">`;
  const config = { endpoint: settings.endpoint, title: settings.title, savedQueries: settings.savedQueries };
  const before = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(settings.title)}</title>
<link rel="icon" href="data:,">
${style('graphiql.min.css')}
${style('fonts.css')}
${style('explorer.css')}
</head>
<body>
<header class="onestop-bar">
  <span class="onestop-bar-title">${escapeHtml(settings.title)}</span>
  <label class="onestop-token-label" for="onestop-token">Bearer token</label>
  <input id="onestop-token" class="onestop-token" type="password" autocomplete="off" spellcheck="false"
    placeholder="paste your token (sent as Authorization: Bearer …)">
  <button type="button" id="onestop-token-toggle" class="onestop-bar-button">Show</button>
  <button type="button" id="onestop-token-clear" class="onestop-bar-button">Clear</button>
  <span id="onestop-token-status" class="onestop-token-status" role="status" aria-live="polite"></span>
</header>
<div class="onestop-stage">
<main id="graphiql" class="onestop-graphiql"><noscript>The explorer needs JavaScript.</noscript></main>
<div id="onestop-workspace" class="onestop-workspace"></div>
</div>
<script type="application/json" id="onestop-explorer-config">`;
  const after = `</script>
${script('react.production.min.js')}
${script('react-dom.production.min.js')}
${script('graphiql.min.js')}
${script('chart.umd.min.js')}
${script('fflate.min.js')}
${script('workspace-core.js')}
${script('workspace.js')}
${script('explorer.js')}
</body>
</html>
`;
  return (nonce) => `${before}${jsonForScript({ ...config, styleNonce: nonce })}${after}`;
}
