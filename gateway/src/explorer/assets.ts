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
 * globals; graphql and CodeMirror are inside it, and its fonts are inlined in its CSS.
 */
export const ASSET_SOURCES: readonly AssetSource[] = [
  { name: 'react.production.min.js', from: { package: 'react', file: 'umd/react.production.min.js' }, type: JS },
  { name: 'react-dom.production.min.js', from: { package: 'react-dom', file: 'umd/react-dom.production.min.js' }, type: JS },
  { name: 'graphiql.min.js', from: { package: 'graphiql', file: 'graphiql.min.js' }, type: JS },
  { name: 'graphiql.min.css', from: { package: 'graphiql', file: 'graphiql.min.css' }, type: CSS },
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
  // The package's own package.json is resolvable even where its "exports" hide the file itself (graphiql does).
  const root = path.dirname(require.resolve(`${source.from.package}/package.json`));
  return path.join(root, source.from.file);
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
    const digest = createHash('sha256').update(body).digest('base64url');
    assets.set(source.name, { name: source.name, file, type: source.type, body, version: digest.slice(0, 12), etag: `"${digest.slice(0, 27)}"` });
  }
  return assets;
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
