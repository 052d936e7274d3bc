import { afterAll, beforeAll, describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { ApolloGateway } from '@apollo/gateway';
import { getVariableValues, GraphQLSchema, Kind, OperationDefinitionNode, parse, validate } from 'graphql';
import { validateDossierCode, validateEnterpriseCode, validatePersonalNumber } from '@onestop/platform';
import { startGateway, RunningGateway } from '../index';
import { ASSET_SOURCES, loadAssets } from './assets';
import { explorerEnabled } from './config';
import { explorerCsp, explorerPage, jsonForScript } from './page';
import { SAVED_QUERIES } from './saved-queries';

const SUPERGRAPH = path.resolve(__dirname, '..', '..', '..', 'schemas', 'supergraph.graphql');

describe('saved reports', () => {
  let schema: GraphQLSchema;

  beforeAll(async () => {
    // The API schema exactly as the gateway serves it from the committed supergraph.
    const gateway = new ApolloGateway({ supergraphSdl: fs.readFileSync(SUPERGRAPH, 'utf8') });
    schema = (await gateway.load()).schema;
    await gateway.stop();
  });

  test('there are reports for the analysts\' usual questions, with unique ids and operation names', () => {
    const ids = SAVED_QUERIES.map((q) => q.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ['procedure-catalogue', 'dossiers-by-status-and-agency', 'citizen-overview', 'enterprise-search']) {
      assert.ok(ids.includes(id), `missing saved report ${id}`);
    }
    const names = SAVED_QUERIES.map((q) => (parse(q.query).definitions[0] as OperationDefinitionNode).name?.value);
    assert.equal(new Set(names).size, names.length);
  });

  for (const saved of SAVED_QUERIES) {
    test(`"${saved.title}" is one named query, valid against the supergraph, with valid example variables`, () => {
      const document = parse(saved.query);
      assert.equal(document.definitions.length, 1);
      const operation = document.definitions[0] as OperationDefinitionNode;
      assert.equal(operation.kind, Kind.OPERATION_DEFINITION);
      assert.equal(operation.operation, 'query', 'saved reports only read');
      assert.ok(operation.name?.value, 'named, so that tabs and history show the name');
      const errors = validate(schema, document);
      assert.deepEqual(errors.map((e) => e.message), []);

      const variables = JSON.parse(saved.variables) as Record<string, unknown>;
      assert.equal(typeof variables, 'object');
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
      assert.equal(coerced.errors, undefined, JSON.stringify(coerced.errors?.map((e) => e.message)));
      const declared = new Set((operation.variableDefinitions ?? []).map((v) => v.variable.name.value));
      for (const name of Object.keys(variables)) assert.ok(declared.has(name), `example variable $${name} is not declared`);
      // Examples that a subgraph would refuse as malformed would only teach the wrong format.
      for (const [name, value] of Object.entries(variables)) {
        if (/personalNumber$/i.test(name)) assert.ok(validatePersonalNumber(value).ok, `${name} ${value}`);
        if (/enterpriseCode$/i.test(name)) assert.ok(validateEnterpriseCode(value).ok, `${name} ${value}`);
        if (name === 'code') assert.ok(validateDossierCode(value).ok, `${name} ${value}`);
      }
      assert.ok(saved.title && saved.description);
    });
  }
});

describe('GATEWAY_EXPLORER', () => {
  test('on by default, off by default in production, explicit either way, anything else refused', () => {
    assert.equal(explorerEnabled({}), true);
    assert.equal(explorerEnabled({ NODE_ENV: 'development' }), true);
    assert.equal(explorerEnabled({ NODE_ENV: 'production' }), false);
    assert.equal(explorerEnabled({ NODE_ENV: 'production', GATEWAY_EXPLORER: 'on' }), true);
    assert.equal(explorerEnabled({ NODE_ENV: 'production', GATEWAY_EXPLORER: '' }), false);
    assert.equal(explorerEnabled({ GATEWAY_EXPLORER: 'off' }), false);
    assert.equal(explorerEnabled({ GATEWAY_EXPLORER: 'OFF ' }), false);
    assert.throws(() => explorerEnabled({ GATEWAY_EXPLORER: 'maybe' }), /GATEWAY_EXPLORER must be on or off/);
  });
});

describe('the assets', () => {
  test('a missing file fails at startup, naming what to install', () => {
    type Sources = Parameters<typeof loadAssets>[0];
    const js = 'text/javascript; charset=utf-8';
    assert.throws(() => loadAssets([{ name: 'x.js', from: { package: 'onestop-no-such-package', file: 'x.js' }, type: js }] as Sources), /explorer asset x\.js not found: onestop-no-such-package\/x\.js \(npm install -w gateway\); or set GATEWAY_EXPLORER=off/);
    assert.throws(() => loadAssets([{ name: 'y.js', from: { package: 'chart.js', file: 'dist/no-such-file.js' }, type: js }] as Sources), /explorer asset y\.js not found: chart\.js\/dist\/no-such-file\.js/);
    assert.throws(() => loadAssets([{ name: 'z.js', from: { static: 'no-such-file.js' }, type: js }] as Sources), /gateway\/static\/explorer\/no-such-file\.js/);
  });

  test('chart.js (whose "exports" hide its package.json) is found, and no fonts.css without font files', () => {
    type Sources = Parameters<typeof loadAssets>[0];
    const assets = loadAssets([{ name: 'chart.umd.min.js', from: { package: 'chart.js', file: 'dist/chart.umd.min.js' }, type: 'text/javascript; charset=utf-8' }] as Sources);
    assert.deepEqual([...assets.keys()], ['chart.umd.min.js']);
    assert.match(assets.get('chart.umd.min.js')!.body.toString('utf8', 0, 200), /Chart/);
  });
});

describe('the page', () => {
  test('JSON in the page cannot close its script element', () => {
    const evil = '</script><script>alert(1)</script><!--';
    const text = jsonForScript({ evil });
    assert.doesNotMatch(text, /<|>/);
    assert.deepEqual(JSON.parse(text), { evil });
    const html = explorerPage({ endpoint: 'graphql', title: '<b>x</b>', savedQueries: [{ id: 'a', title: 't', description: evil, query: '{ a }', variables: '{}' }] }, loadAssets())('n0nce');
    assert.equal(html.match(/<script/g)?.length, 9, 'one data block and eight files');
    assert.ok(!html.includes('<b>x</b>'));
  });
});

/** A raw request: fetch would normalise the dot segments of the path. */
function raw(port: number, method: string, requestPath: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: requestPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('served by the gateway', () => {
  let on: RunningGateway;
  let off: RunningGateway;

  beforeAll(async () => {
    const quiet = () => undefined;
    on = await startGateway({ supergraphPath: SUPERGRAPH, port: 0, watch: false, explorer: true, subscriptions: false, log: quiet });
    off = await startGateway({ supergraphPath: SUPERGRAPH, port: 0, watch: false, explorer: false, subscriptions: false, log: quiet });
  });

  afterAll(async () => {
    await on?.stop();
    await off?.stop();
  });

  test('GET /explorer: the page under a strict CSP, only relative links, every asset an allowed file', async () => {
    const page = await raw(on.port, 'GET', '/explorer');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    assert.ok(nonce, csp);
    assert.equal(csp, explorerCsp(nonce));
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-|https?:|\*/);
    const again = await raw(on.port, 'GET', '/explorer');
    assert.notEqual(again.headers['content-security-policy'], csp, 'a fresh nonce per response');
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['cache-control'], 'no-cache');

    const html = page.body.toString('utf8');
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'nothing from elsewhere');
    // no inline script: each <script> loads a file, except the JSON data block (not executed)
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    for (const [, attributes, body] of scripts) {
      if (/type="application\/json"/.test(attributes)) continue;
      assert.match(attributes, /src="explorer\/assets\/[a-z.-]+\.js\?v=[\w-]+"/);
      assert.equal(body, '');
    }
    const config = JSON.parse(/<script type="application\/json" id="onestop-explorer-config">([^<]*)<\/script>/.exec(html)![1]);
    assert.equal(config.endpoint, 'graphql');
    assert.equal(config.styleNonce, nonce);
    assert.deepEqual(config.savedQueries, JSON.parse(JSON.stringify(SAVED_QUERIES)));

    const links = [...html.matchAll(/(?:src|href)="(explorer\/assets\/[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    // fonts.css (generated) links the font files, each with its version too
    const fontsCss = (await raw(on.port, 'GET', `/${links.find((l) => l.includes('fonts.css'))}`)).body.toString('utf8');
    const fontLinks = [...fontsCss.matchAll(/url\(([^)]+)\)/g)].map((m) => `explorer/assets/${m[1]}`);
    assert.equal(fontLinks.length, 6, 'JetBrains Mono: latin, latin-ext and vietnamese, 400 and 700');
    assert.match(fontsCss, /font-family:'JetBrains Mono'/);
    assert.match(fontsCss, /unicode-range:U\+0102-0103,[^}]*U\+1EA0-1EF9/, 'the Vietnamese subset');
    assert.equal(links.length + fontLinks.length, ASSET_SOURCES.length + 1, 'every file linked, and fonts.css');
    for (const link of [...links, ...fontLinks]) {
      const asset = await raw(on.port, 'GET', `/${link}`);
      assert.equal(asset.status, 200, link);
      const type = link.includes('.css') ? /^text\/css; charset=utf-8$/ : link.includes('.woff2') ? /^font\/woff2$/ : /^text\/javascript; charset=utf-8$/;
      assert.match(String(asset.headers['content-type']), type, link);
      assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable', link);
      assert.equal(asset.headers['x-content-type-options'], 'nosniff');
      assert.ok(asset.body.length > 500, link);
    }
    // GraphiQL's CSS brings its fonts and icons inline: nothing to fetch from anywhere
    const css = (await raw(on.port, 'GET', '/explorer/assets/graphiql.min.css')).body.toString('utf8');
    for (const [, target] of css.matchAll(/url\(\s*['"]?([^'")]+)/g)) assert.match(target, /^data:/);
    assert.doesNotMatch(css, /@import/);
  });

  test('assets: revalidation, gzip, HEAD, and no caching for a URL that is not the current one', async () => {
    const plain = await raw(on.port, 'GET', '/explorer/assets/graphiql.min.js');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['cache-control'], 'no-cache');
    const etag = String(plain.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);
    const revalidated = await raw(on.port, 'GET', '/explorer/assets/graphiql.min.js', { 'if-none-match': etag });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.body.length, 0);
    const gzipped = await raw(on.port, 'GET', '/explorer/assets/graphiql.min.js', { 'accept-encoding': 'br, gzip;q=0.8' });
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.equal(gzipped.headers.vary, 'accept-encoding');
    assert.ok(gzipped.body.length < plain.body.length / 2);
    assert.ok(zlib.gunzipSync(gzipped.body).equals(plain.body));
    const refused = await raw(on.port, 'GET', '/explorer/assets/graphiql.min.js', { 'accept-encoding': 'gzip;q=0' });
    assert.equal(refused.headers['content-encoding'], undefined);
    const head = await raw(on.port, 'HEAD', '/explorer/assets/explorer.css');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.ok(Number(head.headers['content-length']) > 0);
    const slash = await raw(on.port, 'GET', '/explorer/');
    assert.equal(slash.status, 308);
    assert.equal(slash.headers.location, '../explorer');
  });

  test('nothing but the allowlisted files: no other package file, no path traversal', async () => {
    for (const requestPath of [
      '/explorer/assets/graphiql.js',
      '/explorer/assets/index.umd.js.map',
      '/explorer/assets/',
      '/explorer/assets',
      '/explorer/assets/../../package.json',
      '/explorer/assets/..%2f..%2fpackage.json',
      '/explorer/assets/%2e%2e/%2e%2e/gateway/package.json',
      '/explorer/assets/react.production.min.js/..',
      '/explorer/assets//etc/passwd',
      '/explorer/assets/REACT.PRODUCTION.MIN.JS',
      '/explorer/static/explorer.js',
      '/explorer/index.html',
    ]) {
      const response = await raw(on.port, 'GET', requestPath);
      assert.equal(response.status, 404, requestPath);
      assert.doesNotMatch(response.body.toString('utf8'), /"name"|root:/, requestPath);
    }
    const post = await raw(on.port, 'POST', '/explorer');
    assert.equal(post.status, 404);
  });

  test('GATEWAY_EXPLORER=off: no page and no assets', async () => {
    assert.equal((await raw(off.port, 'GET', '/explorer')).status, 404);
    assert.equal((await raw(off.port, 'GET', '/explorer/assets/graphiql.min.js')).status, 404);
    assert.equal((await raw(off.port, 'GET', '/health')).status, 200);
  });
});
