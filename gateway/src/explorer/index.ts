import type http from 'node:http';
import type { RouteHandler } from '@onestop/platform/gateway';
import { ASSET_PREFIX, loadAssets, serveAsset } from './assets';
import { explorerCsp, explorerPage, PAGE_HEADERS, styleNonce } from './page';
import { SAVED_QUERIES, SavedQuery } from './saved-queries';

export interface ExplorerOptions {
  /** Path of the GraphQL endpoint on this server; default /graphql. */
  graphqlPath?: string;
  title?: string;
  savedQueries?: readonly SavedQuery[];
}

export const EXPLORER_PATH = '/explorer';

/**
 * The analysts' explorer (GraphiQL, self-hosted): `GET /explorer` and the allowlisted files under
 * `/explorer/assets/`, each an exact route of the gateway's HTTP server. Everything is read at startup.
 */
export function explorerRoutes(options: ExplorerOptions = {}): Record<string, RouteHandler> {
  const assets = loadAssets();
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const render = explorerPage(
    {
      // Relative to /explorer, so the page also works behind a reverse proxy's path prefix.
      endpoint: graphqlPath.replace(/^\/+/, ''),
      title: options.title ?? 'Một cửa liên thông · GraphQL explorer',
      savedQueries: options.savedQueries ?? SAVED_QUERIES,
    },
    assets,
  );
  const page: RouteHandler = (req, res) => {
    const nonce = styleNonce();
    const html = Buffer.from(render(nonce));
    res.writeHead(200, { ...PAGE_HEADERS, 'content-security-policy': explorerCsp(nonce), 'content-length': html.length });
    res.end(req.method === 'HEAD' ? undefined : html);
  };
  // "/explorer/" would resolve the page's relative URLs one level too deep.
  const slash: RouteHandler = (_req, res) => {
    res.writeHead(308, { location: `..${EXPLORER_PATH}`, 'content-length': 0 });
    res.end();
  };
  const routes: Record<string, RouteHandler> = {};
  for (const method of ['GET', 'HEAD']) {
    routes[`${method} ${EXPLORER_PATH}`] = page;
    routes[`${method} ${EXPLORER_PATH}/`] = slash;
    for (const asset of assets.values()) {
      routes[`${method} /${ASSET_PREFIX}${asset.name}`] = (req: http.IncomingMessage, res: http.ServerResponse) => serveAsset(asset, req, res);
    }
  }
  return routes;
}

export { explorerEnabled } from './config';
export { SAVED_QUERIES } from './saved-queries';
export type { SavedQuery } from './saved-queries';
export { explorerCsp } from './page';
