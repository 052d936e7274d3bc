import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { RouteHandler } from '@onestop/platform/gateway';
import { notModified } from '../explorer/assets';

export const PORTAL_PATH = '/portal';

/** Where `npm run build -w portal` writes the reference portal (Vite): portal/dist at the repository's root. */
export const PORTAL_DIST = path.join(__dirname, '..', '..', '..', 'portal', 'dist');

const ON = new Set(['on', 'true', '1', 'yes']);
const OFF = new Set(['off', 'false', '0', 'no']);

/**
 * GATEWAY_PORTAL=on|off. Unset (or empty): on, except off when NODE_ENV=production, where it must be asked for.
 * Anything else is refused at startup rather than guessed.
 */
export function portalSetting(env: NodeJS.ProcessEnv = process.env): 'on' | 'off' | 'default' {
  const raw = (env.GATEWAY_PORTAL ?? '').trim().toLowerCase();
  if (raw === '') return env.NODE_ENV === 'production' ? 'off' : 'default';
  if (ON.has(raw)) return 'on';
  if (OFF.has(raw)) return 'off';
  throw new Error(`GATEWAY_PORTAL must be on or off, got "${env.GATEWAY_PORTAL}"`);
}

/**
 * The page's policy: only this origin for scripts, styles, fonts and images (Vite bundles everything into dist/), the
 * GraphQL endpoint and its WebSocket on the same host ('self' covers ws: and wss: there).
 */
export const PORTAL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

interface PortalFile {
  body: Buffer;
  type: string;
  etag: string;
  /** Vite's content-hashed assets: cached for a year; the page itself is revalidated every time. */
  immutable: boolean;
  gzipped?: Buffer;
}

function read(file: string, immutable: boolean): PortalFile {
  const body = fs.readFileSync(file);
  const type = TYPES[path.extname(file)];
  if (!type) throw new Error(`portal file of an unknown type: ${file}`);
  return { body, type, immutable, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

function acceptsGzip(req: http.IncomingMessage): boolean {
  return String(req.headers['accept-encoding'] ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return coding === 'gzip' && (q === undefined || Number(q.slice(2)) > 0);
  });
}

function serve(file: PortalFile, extra: Record<string, string>): RouteHandler {
  return (req, res) => {
    const headers: Record<string, string | number> = {
      'content-type': file.type,
      'x-content-type-options': 'nosniff',
      'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag: file.etag,
      vary: 'accept-encoding',
      ...extra,
    };
    if (notModified(req, file.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    let body = file.body;
    if (acceptsGzip(req)) {
      file.gzipped ??= zlib.gzipSync(file.body, { level: 9 });
      if (file.gzipped.length < body.length) {
        body = file.gzipped;
        headers['content-encoding'] = 'gzip';
      }
    }
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

export interface PortalOptions {
  /** The built portal (index.html and assets/); default portal/dist, or GATEWAY_PORTAL_DIR. */
  dir?: string;
}

/**
 * The reference portal at `GET /portal/` (its index.html) and `/portal/assets/<file>`: every file of the build is read
 * at startup and becomes an exact route, so nothing else of the disk is reachable. `/portal` redirects to `/portal/`,
 * whose relative URLs (the assets, `../graphql`) then resolve right, behind a path prefix too.
 */
export function portalRoutes(options: PortalOptions = {}): Record<string, RouteHandler> {
  const dir = options.dir ?? process.env.GATEWAY_PORTAL_DIR ?? PORTAL_DIST;
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) throw new Error(`the portal is not built: no ${index} (npm run build -w portal), or set GATEWAY_PORTAL=off`);
  const page = serve(read(index, false), {
    'content-security-policy': PORTAL_CSP,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  });
  const slash: RouteHandler = (_req, res) => {
    res.writeHead(308, { location: `${PORTAL_PATH.slice(1)}/`, 'content-length': 0 });
    res.end();
  };
  const routes: Record<string, RouteHandler> = {};
  const assetsDir = path.join(dir, 'assets');
  const assets = fs.existsSync(assetsDir) ? fs.readdirSync(assetsDir).filter((name) => fs.statSync(path.join(assetsDir, name)).isFile()) : [];
  for (const method of ['GET', 'HEAD']) {
    routes[`${method} ${PORTAL_PATH}`] = slash;
    routes[`${method} ${PORTAL_PATH}/`] = page;
    routes[`${method} ${PORTAL_PATH}/index.html`] = page;
    for (const name of assets) {
      routes[`${method} ${PORTAL_PATH}/assets/${name}`] = serve(read(path.join(assetsDir, name), true), { 'cross-origin-resource-policy': 'same-origin' });
    }
  }
  return routes;
}

/**
 * The portal's routes as configured: none when off; when on by default (outside production) and not built, none
 * either, with a warning; asked for (GATEWAY_PORTAL=on) and not built, startup fails.
 */
export function configuredPortalRoutes(setting: boolean | undefined, log: (entry: Record<string, unknown>) => void, env: NodeJS.ProcessEnv = process.env): Record<string, RouteHandler> {
  const mode = setting === undefined ? portalSetting(env) : setting ? 'on' : 'off';
  if (mode === 'off') return {};
  try {
    return portalRoutes();
  } catch (error) {
    if (mode === 'on') throw error;
    log({ level: 'warn', msg: 'portal not served', reason: (error as Error).message });
    return {};
  }
}
