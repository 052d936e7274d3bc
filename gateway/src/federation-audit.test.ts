import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { AuditSubgraphs, startAuditSubgraphs } from './federation-audit-fixture';
import { startGateway, RunningGateway } from './index';

/**
 * The federation audit: every case is sent to our gateway and to a plain @apollo/gateway on the same supergraph and
 * subgraphs, and the answers must be the same: `data` byte for byte (key order included), and each error's path and
 * code. Whatever ours changes in planning or execution (operation cache, subgraph transport, shared in-flight
 * requests, limits) must keep every federation behaviour. Each case also states what the answer must contain, so a
 * case both gateways get wrong the same way fails too.
 */

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Checks the plain gateway's answer on its own (ours must then equal it). */
  expect: (answer: Answer) => void;
}

interface Answer {
  status: number;
  data: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

const CASES: Case[] = [
  {
    name: 'entities across subgraphs, @requires, @override, @provides',
    query: `{ topProducts(first: 3) { upc name price shippingEstimate inStock stockNote reviews { body author { username name } } } }`,
    expect: ({ data, errors }) => {
      const [desk, lamp] = data.topProducts;
      assert.equal(desk.shippingEstimate, 0); // @requires price 1200 → free
      assert.equal(lamp.shippingEstimate, 1); // weight 1 → ceil(0.5)
      assert.equal(desk.stockNote, 'inventory: ships today'); // @override: inventory's, not products'
      assert.deepEqual(desk.reviews.map((r: any) => r.author.name), ['Nguyễn Văn An', 'Trần Thị Bình']);
      assert.equal(data.topProducts[2].inStock, null); // inventory's error for upc 3
      assert.deepEqual(errors?.map((e) => e.path), [['topProducts', 2, 'inStock']]);
    },
  },
  {
    name: '@provides: the author\'s username from reviews, the name from accounts',
    query: `{ latestReviews { id author { id username } product { upc name inStock } } }`,
    expect: ({ data }) => {
      assert.deepEqual(data.latestReviews.map((r: any) => r.author.username), ['an', 'binh', 'binh', 'an']);
      assert.equal(data.latestReviews[3].product, null);
      assert.equal(data.latestReviews[0].product.inStock, true);
    },
  },
  {
    name: 'interfaces whose members are entities extended elsewhere',
    query: `{ media { __typename id title ... on Book { pages reviewCount } ... on Movie { minutes } } }`,
    expect: ({ data }) => {
      assert.deepEqual(data.media.map((m: any) => m.__typename), ['Book', 'Movie', 'Book']);
      assert.equal(data.media[0].reviewCount, 1);
      assert.equal(data.media[1].minutes, 97);
    },
  },
  {
    name: '@interfaceObject: a field of every Media member from a subgraph that knows only the interface',
    query: `{ media { __typename title copies ... on Movie { minutes } } }`,
    expect: ({ data }) => assert.deepEqual(data.media.map((m: any) => m.copies), [4, 0, 4]),
  },
  {
    name: '@requires of a nested selection (dimensions { length width })',
    query: `{ topProducts { upc packaging dimensions { unit } } }`,
    expect: ({ data }) => assert.deepEqual(data.topProducts.map((p: any) => p.packaging), ['pallet', 'box', 'box']),
  },
  {
    name: 'unions of entities, members completed by other subgraphs',
    query: `query Search($term: String!) { search(term: $term) { __typename ... on Product { upc name shippingEstimate reviews { id } } ... on Book { title reviewCount } ... on Movie { title } } }`,
    variables: { term: 'desk' },
    expect: ({ data }) => {
      assert.deepEqual(data.search.map((r: any) => r.__typename), ['Product', 'Product']);
      assert.deepEqual(data.search[0].reviews, [{ id: 'r1' }, { id: 'r3' }]);
    },
  },
  {
    name: 'nested (compound) keys and @shareable value types',
    query: `{ warehouses { code site { country city } name capacity } }`,
    expect: ({ data }) => assert.deepEqual(data.warehouses.map((w: any) => [w.site.city, w.capacity]), [['Hà Nội', 1000], ['Đà Nẵng', 250]]),
  },
  {
    name: '@shareable field asked from either side',
    query: `{ latestReviews { product { name } } topProducts(first: 1) { name reviews { product { name upc } } } }`,
    expect: ({ data }) => assert.equal(data.topProducts[0].reviews[0].product.name, 'Oak desk'),
  },
  {
    name: 'nested small lists three deep (sized by their @listSize, so within the cost limit)',
    query: `{ topProducts { categories { name subCategories { name subCategories { id name } } } } }`,
    expect: ({ data }) => assert.equal(data.topProducts[0].categories[0].subCategories[0].subCategories[1].name, 'School desks'),
  },
  {
    name: 'aliases, fragments, variables, @skip/@include across subgraphs',
    query: `query Two($a: String!, $b: String!, $withStock: Boolean!, $noReviews: Boolean!) {
      first: product(upc: $a) { ...P }
      second: product(upc: $b) { ...P }
      missing: product(upc: "404") { ...P }
    }
    fragment P on Product { upc label: name inStock @include(if: $withStock) reviews @skip(if: $noReviews) { author { name } } }`,
    variables: { a: '2', b: '1', withStock: true, noReviews: false },
    expect: ({ data }) => {
      assert.equal(data.first.label, 'Desk lamp');
      assert.equal(data.second.inStock, true);
      assert.equal(data.missing, null);
    },
  },
  {
    name: 'entity chains: user (accounts) → reviews → product (products) → reviews → author (accounts)',
    query: `{ me { name username reviews { body product { name reviews { author { name } } } } } }`,
    expect: ({ data }) => {
      assert.equal(data.me.username, 'an');
      assert.deepEqual(data.me.reviews[0].product.reviews.map((r: any) => r.author.name), ['Nguyễn Văn An', 'Trần Thị Bình']);
    },
  },
  {
    name: 'mutations run in order',
    query: `mutation { low: rate(upc: "2", stars: 2) { upc rating name } high: rate(upc: "2", stars: 5) { rating shippingEstimate } }`,
    expect: ({ data }) => {
      assert.equal(data.low.rating, 2);
      assert.equal(data.high.rating, 5);
    },
  },
  {
    name: '@inaccessible field: refused',
    query: `{ topProducts { upc internalCode } }`,
    expect: ({ data, errors }) => {
      assert.equal(data, undefined);
      assert.equal(errors?.[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    },
  },
  {
    name: '@inaccessible field of another subgraph: refused',
    query: `{ users { id secret } }`,
    expect: ({ errors }) => assert.equal(errors?.[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED'),
  },
  {
    name: '__typename everywhere',
    query: `{ __typename topProducts(first: 1) { __typename reviews { __typename author { __typename } } } }`,
    expect: ({ data }) => assert.equal(data.topProducts[0].reviews[0].author.__typename, 'User'),
  },
];

let subgraphs: AuditSubgraphs;
let ours: RunningGateway;
let plain: ApolloServer;
let plainUrl: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-federation-audit-'));

beforeAll(async () => {
  subgraphs = await startAuditSubgraphs();
  const file = path.join(dir, 'supergraph.graphql');
  fs.writeFileSync(file, subgraphs.supergraphSdl);
  ours = await startGateway({ supergraphPath: file, port: 0, watch: false, subscriptions: false, responseCache: false, explorer: false, log: () => {} });
  plain = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: subgraphs.supergraphSdl }) });
  plainUrl = (await startStandaloneServer(plain, { listen: { port: 0, host: '127.0.0.1' } })).url;
});

afterAll(async () => {
  await ours?.stop();
  await plain?.stop();
  await subgraphs?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ask(url: string, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
}

/** What must be equal besides `data`: each error's path and code (messages may be masked by ours). */
const errorShape = (answer: Answer) => answer.errors?.map((e) => ({ path: e.path, code: e.extensions?.code }));

test.each(CASES)('federation audit: $name', async (c) => {
  const reference = await ask(plainUrl, c.query, c.variables);
  c.expect(reference);
  const answer = await ask(ours.url, c.query, c.variables);
  assert.equal(JSON.stringify(answer.data), JSON.stringify(reference.data), 'the same data, in the same order');
  assert.deepEqual(errorShape(answer), errorShape(reference));
  assert.equal(answer.status, reference.status);
});

test('federation audit: the same answers when the cases run at once (shared in-flight requests, cached operations)', async () => {
  const queries = CASES.filter((c) => !c.query.startsWith('mutation'));
  const all = await Promise.all([...queries, ...queries].map(async (c) => [await ask(plainUrl, c.query, c.variables), await ask(ours.url, c.query, c.variables)] as const));
  for (const [reference, answer] of all) {
    assert.equal(JSON.stringify(answer.data), JSON.stringify(reference.data));
    assert.deepEqual(errorShape(answer), errorShape(reference));
  }
});
