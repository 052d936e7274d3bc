import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import type http from 'node:http';

/** Where the explorer's own browser files live (gateway/static/explorer; not compiled, served as they are). */
export const STATIC_DIR = path.join(__dirname, '..', '..', 'static', 'explorer');

/** URL prefix of the assets, relative to the page (the page is /explorer, so these are /explorer/assets/…). */
export const ASSET_PREFIX = 'explorer/assets/';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const WOFF2 = 'font/woff2';

/** The bundled monospace font's subsets and the characters each covers (from @fontsource/jetbrains-mono's CSS). */
const FONT_SUBSETS: Record<string, string> = {
  latin: 'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD',
  'latin-ext': 'U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF',
  vietnamese: 'U+0102-0103,U+0110-0111,U+0128-0129,U+0168-0169,U+01A0-01A1,U+01AF-01B0,U+0300-0301,U+0303-0304,U+0308-0309,U+0323,U+0329,U+1EA0-1EF9,U+20AB',
};
const FONT_WEIGHTS = [400, 700];
const fontFile = (subset: string, weight: number) => `jetbrains-mono-${subset}-${weight}-normal.woff2`;
/** The family name explorer.css asks for. */
export const MONO_FONT_FAMILY = 'JetBrains Mono';

interface AssetSource {
  /** The file name in the URL: /explorer/assets/<name>. */
  name: string;
  /** An installed package and a file inside it, or a file of STATIC_DIR. */
  from: { package: string; file: string } | { static: string };
  type: string;
}

/**
 * The only files served under /explorer/assets/: each is an exact route, so nothing else of node_modules or of the
 * disk is reachable (no path is ever joined from the request). GraphiQL's UMD build needs React and ReactDOM as
 * globals; graphql and CodeMirror are inside it, and its fonts are inlined in its CSS. JetBrains Mono (OFL-1.1, from
 * @fontsource) is the editors' font: unlike GraphiQL's Fira Code it has the Vietnamese letters (explorer.css).
 * Chart.js and fflate (for XLSX) serve the analysts' workspace; none of these is loaded outside the explorer page.
 */
export const ASSET_SOURCES: readonly AssetSource[] = [
  { name: 'react.production.min.js', from: { package: 'react', file: 'umd/react.production.min.js' }, type: JS },
  { name: 'react-dom.production.min.js', from: { package: 'react-dom', file: 'umd/react-dom.production.min.js' }, type: JS },
  { name: 'graphiql.min.js', from: { package: 'graphiql', file: 'graphiql.min.js' }, type: JS },
  { name: 'graphiql.min.css', from: { package: 'graphiql', file: 'graphiql.min.css' }, type: CSS },
  ...Object.keys(FONT_SUBSETS).flatMap((subset) =>
    FONT_WEIGHTS.map((weight) => {
      const file = fontFile(subset, weight);
      return { name: file, from: { package: '@fontsource/jetbrains-mono', file: `files/${file}` }, type: WOFF2 };
    }),
  ),
  { name: 'chart.umd.min.js', from: { package: 'chart.js', file: 'dist/chart.umd.min.js' }, type: JS },
  { name: 'fflate.min.js', from: { package: 'fflate', file: 'umd/index.js' }, type: JS },
  { name: 'workspace-core.js', from: { static: 'workspace-core.js' }, type: JS },
  { name: 'workspace.js', from: { static: 'workspace.js' }, type: JS },
  { name: 'explorer.js', from: { static: 'explorer.js' }, type: JS },
  { name: 'explorer.css', from: { static: 'explorer.css' }, type: CSS },
];

export interface Asset {
  name: string;
  file: string;
  type: string;
  body: Buffer;
  /** Short content hash: the `?v=` of the page's links, so a changed file gets a new URL. */
  version: string;
  etag: string;
  gzipped?: Buffer;
}

function sourceFile(source: AssetSource): string {
  if ('static' in source.from) return path.join(STATIC_DIR, source.from.static);
  return path.join(packageRoot(source.from.package), source.from.file);
}

/** An installed package's folder: its package.json, or (where "exports" hide even that, as chart.js does) the folder above its main file that has it. */
function packageRoot(name: string): string {
  try {
    // The package's own package.json is resolvable even where its "exports" hide the file itself (graphiql does).
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    let dir = path.dirname(require.resolve(name));
    while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name) {
      const parent = path.dirname(dir);
      if (parent === dir) throw new Error(`no package.json of ${name}`);
      dir = parent;
    }
    return dir;
  }
}

/** Reads every allowed file once; a missing one fails here, at startup, naming what to install. */
export function loadAssets(sources: readonly AssetSource[] = ASSET_SOURCES): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const source of sources) {
    let file: string;
    let body: Buffer;
    try {
      file = sourceFile(source);
      body = fs.readFileSync(file);
    } catch (error) {
      const what = 'package' in source.from ? `${source.from.package}/${source.from.file} (npm install -w gateway)` : `gateway/static/explorer/${source.from.static}`;
      throw new Error(`explorer asset ${source.name} not found: ${what}; or set GATEWAY_EXPLORER=off (${(error as Error).message})`);
    }
    assets.set(source.name, asset(source.name, file, source.type, body));
  }
  const faces = fontFaces(assets);
  if (faces) assets.set('fonts.css', asset('fonts.css', '(generated)', CSS, Buffer.from(faces)));
  return assets;
}

function asset(name: string, file: string, type: string, body: Buffer): Asset {
  const digest = createHash('sha256').update(body).digest('base64url');
  return { name, file, type, body, version: digest.slice(0, 12), etag: `"${digest.slice(0, 27)}"` };
}

/**
 * The @font-face rules of the bundled font, generated at startup so that each file's URL carries its `?v=` (cached for
 * good, like the page's own links). The browser fetches only the subsets a page's text needs.
 */
function fontFaces(assets: Map<string, Asset>): string {
  const rules: string[] = [];
  for (const [subset, range] of Object.entries(FONT_SUBSETS)) {
    for (const weight of FONT_WEIGHTS) {
      const font = assets.get(fontFile(subset, weight));
      if (!font) continue;
      rules.push(
        `@font-face{font-family:'${MONO_FONT_FAMILY}';font-style:normal;font-display:block;font-weight:${weight};` +
          `src:url(${font.name}?v=${font.version}) format('woff2');unicode-range:${range}}`,
      );
    }
  }
  return rules.length ? `/* JetBrains Mono, SIL Open Font License 1.1 (@fontsource/jetbrains-mono) */\n${rules.join('\n')}\n` : '';
}

function acceptsGzip(req: http.IncomingMessage): boolean {
  const header = String(req.headers['accept-encoding'] ?? '');
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return coding === 'gzip' && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/** True when If-None-Match names this ETag (or is `*`). */
export function notModified(req: http.IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((tag) => {
    const value = tag.trim().replace(/^W\//, '');
    return value === '*' || value === etag;
  });
}

/**
 * Serves one asset: its content type, `nosniff`, an ETag, and gzip when asked for. Requested with the page's current
 * `?v=` it is cached for a year (immutable: a changed file has another URL); any other URL must revalidate.
 */
export function serveAsset(asset: Asset, req: http.IncomingMessage, res: http.ServerResponse): void {
  const version = new URL(req.url ?? '/', 'http://localhost').searchParams.get('v');
  const headers: Record<string, string | number> = {
    'content-type': asset.type,
    'x-content-type-options': 'nosniff',
    'cache-control': version === asset.version ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag: asset.etag,
    vary: 'accept-encoding',
    'cross-origin-resource-policy': 'same-origin',
  };
  if (notModified(req, asset.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  let body = asset.body;
  if (acceptsGzip(req)) {
    asset.gzipped ??= zlib.gzipSync(asset.body, { level: 9 });
    if (asset.gzipped.length < asset.body.length) {
      body = asset.gzipped;
      headers['content-encoding'] = 'gzip';
    }
  }
  headers['content-length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}
