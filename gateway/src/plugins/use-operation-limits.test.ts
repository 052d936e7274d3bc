import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { buildSchema, getIntrospectionQuery, getOperationAST, parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { analyseOperation, evaluateCost, listSizesFromSupergraph, operationLimitsFromEnv, useOperationLimits } from './use-operation-limits';
import { run, startTestGateway, TEST_SDL, testServer } from './testing';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function shape(query: string, options = {}, schema = buildSchema(TEST_SDL)) {
  const document = parse(query);
  const result = analyseOperation(schema, document, getOperationAST(document)!, options);
  return { ...result, cost: evaluateCost(result.cost) };
}

test('depth, aliases, root fields and cost of an operation, fragments followed', () => {
  // dossier 1 + code 1 + applicant (1 + fullName 1 + dossiers (1 + 20 × code 1)) = 25
  assert.deepEqual(shape('{ dossier(code: "x") { code applicant { fullName dossiers { code } } } }'), { depth: 4, aliases: 0, rootFields: 1, cost: 25 });
  const viaFragments = shape(`{ dossier(code: "x") { ...D } }
    fragment D on Dossier { code applicant { ... on Citizen { fullName ...C } } }
    fragment C on Citizen { dossiers { code } }`);
  assert.deepEqual(viaFragments, { depth: 4, aliases: 0, rootFields: 1, cost: 25 });
  // a fragment used twice counts twice
  assert.equal(shape('{ a: dossier(code: "a") { ...F } b: dossier(code: "b") { ...F } } fragment F on Dossier { x: code y: status }').aliases, 6);
  assert.equal(shape('{ ...R } fragment R on Query { dossier(code: "a") { code } citizen(personalNumber: "b") { fullName } }').rootFields, 2);
});

test('a page\'s limit sizes its items; a list without one counts the default list size', () => {
  // dossiers 1 + totalCount 1 + items (1 + 50 × (code 1 + timeline (1 + 20 × at 1)))
  assert.equal(shape('{ dossiers(limit: 50) { totalCount items { code timeline { at } } } }').cost, 2 + 1 + 50 * 22);
  assert.equal(shape('{ dossiers { items { code } } }').cost, 2 + 20, 'the argument\'s default (20) when no limit is given');
  assert.equal(shape('{ dossiers { items { timeline { at } } } }', { defaultListSize: 5 }).cost, 2 + 20 * 6);
  const document = parse('query($n: Int! = 10) { dossiers(limit: $n) { items { code } } }');
  const variable = analyseOperation(buildSchema(TEST_SDL), document, getOperationAST(document)!);
  assert.equal(evaluateCost(variable.cost, { n: 100 }), 2 + 100);
  assert.equal(evaluateCost(variable.cost, {}), 2 + 10, 'the variable\'s default');
  assert.equal(evaluateCost(variable.cost, { n: 'many' }), 2 + 10, 'not a number: the default');
});

/** A catalogue whose categories nest three deep, each level a small list: the case the default list size over-counts. */
const CATALOGUE = `
  type Query { products(first: Int = 10): [Product!]! search(take: Int! = 50, limit: Int): SearchPage! category(id: ID!): Category }
  type Product { id: ID! categories: [Category!]! @listSize(assumedSize: 3) tags: [String!]! }
  type Category { id: ID! name: String! subCategories: [Category!]! @listSize(assumedSize: 5) }
  type SearchPage { items: [Product!]! related: [Product!]! totalCount: Int! }
  extend type Query { pages(take: Int! = 50): SearchPage! @listSize(slicingArguments: ["take"], sizedFields: ["items"]) }
`;
const CATALOGUE_DIRECTIVE = 'directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION';

test('@listSize: a small nested list counts its assumed size, a slicing argument its value, sizedFields only those lists', () => {
  const sdl = `${CATALOGUE_DIRECTIVE}\n${CATALOGUE}`;
  const schema = buildSchema(sdl);
  const listSizes = listSizesFromSupergraph(sdl);
  assert.deepEqual(listSizes.get('Product.categories'), { assumedSize: 3 });
  assert.deepEqual(listSizes.get('Query.pages'), { slicingArguments: ['take'], sizedFields: ['items'] });
  const nested = '{ products { categories { name subCategories { name subCategories { id name } } } } }';
  // products 1 + 10 × (categories 1 + 3 × (name 1 + sub 1 + 5 × (name 1 + sub 1 + 5 × 2)))
  const hinted = 1 + 10 * (1 + 3 * (1 + 1 + 5 * (1 + 1 + 5 * 2)));
  assert.equal(shape(nested, { listSizes }, schema).cost, hinted);
  assert.equal(shape(nested, {}, schema).cost, 1 + 10 * (1 + 20 * (1 + 1 + 20 * (1 + 1 + 20 * 2))), 'without hints: 20 a list');
  // the page's slicing argument bounds `items` only; `related` (not a sized field) counts the default
  assert.equal(shape('{ pages(take: 4) { items { id } related { id } } }', { listSizes }, schema).cost, 1 + (1 + 4) + (1 + 20));
  assert.equal(shape('{ pages { items { id } } }', { listSizes }, schema).cost, 1 + 1 + 50, 'the slicing argument\'s default');
  const document = parse('query($n: Int!) { pages(take: $n) { items { id } } }');
  const variable = analyseOperation(schema, document, getOperationAST(document)!, { listSizes });
  assert.equal(evaluateCost(variable.cost, { n: 7 }), 1 + 1 + 7);
  // a field without a hint keeps limit/first
  assert.equal(shape('{ search(limit: 2) { items { id } } }', { listSizes }, schema).cost, 1 + 1 + 2);
});

test('@listSize from a composed supergraph: the name its @link imports it as', () => {
  const composed = composeServices([{
    name: 'catalogue',
    url: 'http://127.0.0.1:1/graphql',
    typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@listSize"])\n${CATALOGUE}`),
  }]);
  assert.equal(composed.errors, undefined);
  const hints = listSizesFromSupergraph(composed.supergraphSdl!);
  assert.deepEqual(hints.get('Category.subCategories'), { assumedSize: 5 });
  assert.deepEqual(hints.get('Query.pages'), { slicingArguments: ['take'], sizedFields: ['items'] });
  // renamed on import, or not imported (then namespaced by the spec's name)
  const renamed = `schema @link(url: "https://specs.apollo.dev/cost/v0.1", import: [{ name: "@listSize", as: "@size" }]) { query: Query }
    type Query { a: [Int] @size(assumedSize: 2) b: [Int] @listSize(assumedSize: 9) }`;
  assert.deepEqual([...listSizesFromSupergraph(renamed)], [['Query.a', { assumedSize: 2 }]]);
  const namespaced = `schema @link(url: "https://specs.apollo.dev/cost/v0.1") { query: Query } type Query { a: [Int] @cost__listSize(assumedSize: 4) }`;
  assert.deepEqual([...listSizesFromSupergraph(namespaced)], [['Query.a', { assumedSize: 4 }]]);
});

test('our supergraph\'s hints: a citizen\'s enterprises, their branches (a page of 10) and those\'s business lines pass; the bombs are still refused', async () => {
  const sdl = fs.readFileSync(path.join(ROOT, 'schemas', 'supergraph.graphql'), 'utf8');
  const gateway = new ApolloGateway({ supergraphSdl: sdl });
  const { schema } = await gateway.load();
  await gateway.stop();
  const listSizes = listSizesFromSupergraph(sdl);
  assert.deepEqual(listSizes.get('Enterprise.businessLines'), { assumedSize: 10 });
  // pages (citizen.enterprises, Enterprise.branches) are sized by their `limit`; business lines by the schema's hint
  const legitimate = `query($p: String!) { citizen(personalNumber: $p) { enterprises { items {
    name businessLines { vsicCode } branches(limit: 10) { items { name businessLines { vsicCode description isMain } } } } } } }`;
  const hinted = shape(legitimate, { listSizes }, schema).cost;
  assert.ok(hinted < 10_000, `within the default budget with the hints (${hinted})`);
  assert.ok(shape(legitimate, {}, schema).cost > 10_000, 'over the default budget without the hints');
  const costBomb = '{ enterprises(limit: 500) { items { branches(limit: 100) { items { branches(limit: 100) { items { businessLines { vsicCode description } } } } } } } }';
  assert.ok(shape(costBomb, { listSizes }, schema).cost > 10_000);
  const nested = (n: number): string => (n ? `branches { items { ${nested(n - 1)} } }` : 'name');
  const depthBomb = `{ enterprises(limit: 1) { items { ${nested(12)} } } }`;
  assert.ok(shape(depthBomb, { listSizes }, schema).depth > 12);
  const aliasBomb = `{ citizen(personalNumber: "x") { ${Array.from({ length: 31 }, (_, i) => `a${i}: fullName`).join(' ')} } }`;
  assert.ok(shape(aliasBomb, { listSizes }, schema).aliases > 30);
});

test('the gateway reads its supergraph\'s @listSize: a small nested query passes, the same at page size 500 is refused', async () => {
  const root = {
    products: ({ first }: { first: number }) => Array.from({ length: Math.min(first, 2) }, (_, i) => ({ id: `p${i}`, tags: [], categories: [{ id: 'c', name: 'Desks', subCategories: [] }] })),
    pages: ({ take }: { take: number }) => ({ items: [], related: [], totalCount: take }),
  };
  const gateway = await startTestGateway({}, { sdl: CATALOGUE, root, imports: ['@listSize'] });
  try {
    const nested = '{ products { categories { name subCategories { name subCategories { id name } } } } }';
    const ok = await gateway.post({ query: nested });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.data.products[0].categories[0].name, 'Desks');
    const refused = await gateway.post({ query: nested.replace('products', 'products(first: 500)') });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.errors![0].extensions.code, 'OPERATION_LIMIT_EXCEEDED');
    assert.equal(refused.body.errors![0].extensions.limit, 'cost');
  } finally {
    await gateway.stop();
  }
});

test('fragment cycles and exponential fragment nesting neither hang nor blow up', () => {
  const cyclic = shape('{ dossier(code: "x") { ...A } } fragment A on Dossier { code applicant { dossiers { ...A } } }');
  assert.ok(cyclic.depth >= 2);
  // F0 spreads F1 twice, F1 spreads F2 twice…: 2^40 uses of the leaf, analysed in linear time
  const levels = 40;
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Dossier { a${i}: code ...F${i + 1} ...F${i + 1} }`).join('\n');
  const started = Date.now();
  const bomb = shape(`{ dossier(code: "x") { ...F0 } } ${fragments} fragment F${levels} on Dossier { code }`);
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  assert.ok(bomb.aliases > 1e12 && bomb.cost > 1e12, JSON.stringify(bomb));
  // the same with a list size from a variable: evaluated per request, still once per fragment (2^26 times otherwise)
  const sizedLevels = 26;
  const sized = Array.from({ length: sizedLevels }, (_, i) => `fragment S${i} on Query { ...S${i + 1} ...S${i + 1} }`).join('\n');
  const document = parse(`query($n: Int!) { ...S0 } ${sized} fragment S${sizedLevels} on Query { dossiers(limit: $n) { items { code } } }`);
  const variable = analyseOperation(buildSchema(TEST_SDL), document, getOperationAST(document)!);
  const evaluated = Date.now();
  assert.equal(evaluateCost(variable.cost, { n: 3 }), 2 ** sizedLevels * 5);
  assert.ok(Date.now() - evaluated < 1000, `took ${Date.now() - evaluated} ms`);
});

test('introspection counts for cost but not depth, so the standard introspection query fits the defaults', async () => {
  const gateway = new ApolloGateway({ supergraphSdl: fs.readFileSync(path.join(ROOT, 'schemas', 'supergraph.graphql'), 'utf8') });
  const { schema } = await gateway.load();
  await gateway.stop();
  const full = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true });
  const measured = shape(full, {}, schema);
  assert.equal(measured.depth, 1);
  assert.ok(measured.cost > 100 && measured.cost < 1000, `cost ${measured.cost}`);
  assert.equal(shape('{ __schema { types { name fields { name } } } }', {}, schema).cost, 1 + 1 + 1 + 1 + 1);
  assert.equal(shape('{ __schema { types { name fields { name } } } }', { introspectionListSize: 10 }, schema).cost, 1 + 1 + 10 * (1 + 1 + 10));
});

test('each limit refuses with its code, limit, max and actual (HTTP 400) before any resolver runs; within it the operation runs', async () => {
  const { server, root } = await testServer([useOperationLimits({ maxDepth: 3, maxAliases: 2, maxRootFields: 2, maxCost: 100 })]);
  try {
    const cases: [string, Record<string, unknown> | undefined, string, number, number][] = [
      ['{ dossier(code: "x") { applicant { dossiers { code } } } }', undefined, 'depth', 3, 4],
      ['{ dossier(code: "x") { ...D } } fragment D on Dossier { applicant { ... on Citizen { dossiers { code } } } }', undefined, 'depth', 3, 4],
      ['{ dossier(code: "x") { a: code b: code c: code } }', undefined, 'aliases', 2, 3],
      ['{ a: dossier(code: "x") { code } citizen(personalNumber: "y") { fullName } dossiers { totalCount } }', undefined, 'rootFields', 2, 3],
      ['query($n: Int!) { dossiers(limit: $n) { items { code } } }', { n: 99 }, 'cost', 100, 101],
    ];
    for (const [query, variables, limit, max, actual] of cases) {
      const { status, error, data } = await run(server, { query, variables });
      assert.equal(status, 400, query);
      assert.equal(data, undefined);
      assert.deepEqual(error?.extensions, { code: 'OPERATION_LIMIT_EXCEEDED', limit, max, actual }, query);
      assert.match(error!.message, new RegExp(`${limit} ${actual} exceeds the maximum of ${max}`));
    }
    assert.equal(root.calls, 0, 'a refused operation reached a resolver');

    const within: [string, Record<string, unknown> | undefined][] = [
      ['{ dossier(code: "x") { applicant { fullName } } }', undefined],
      ['{ dossier(code: "x") { a: code b: code } }', undefined],
      ['{ a: dossier(code: "x") { code } citizen(personalNumber: "y") { fullName } }', undefined],
      ['query($n: Int!) { dossiers(limit: $n) { items { code } } }', { n: 98 }],
      ['{ __schema { types { name } } }', undefined],
    ];
    for (const [query, variables] of within) {
      const { status, errors, data } = await run(server, { query, variables });
      assert.equal(errors, undefined, `${query}: ${JSON.stringify(errors)}`);
      assert.equal(status, 200);
      assert.ok(data);
    }
    assert.equal(root.calls, 5);
  } finally {
    await server.stop();
  }
});

test('the same document with other variables is checked again (cached analysis, per-request cost)', async () => {
  const { server } = await testServer([useOperationLimits({ maxCost: 100 })]);
  try {
    const query = 'query($n: Int!) { dossiers(limit: $n) { items { code } } }';
    assert.equal((await run(server, { query, variables: { n: 5 } })).status, 200);
    assert.equal((await run(server, { query, variables: { n: 500 } })).error?.extensions?.actual, 502);
    assert.equal((await run(server, { query, variables: { n: 5 } })).status, 200);
  } finally {
    await server.stop();
  }
});

test('an analysis is kept per schema: a reloaded supergraph is measured again', async () => {
  const plugin = useOperationLimits({ maxCost: 10 });
  const listener = (await plugin.requestDidStart!({} as any))!;
  const check = async (sdl: string) => {
    const schema = buildSchema(sdl);
    const document = parse('{ dossier(code: "x") { timeline { at } } }');
    const requestContext = { schema, document, operation: getOperationAST(document)!, queryHash: 'same', request: {} };
    return listener.didResolveOperation!(requestContext as any).then(() => 'ok', (error) => error.extensions.actual);
  };
  assert.equal(await check(TEST_SDL), 22);
  assert.equal(await check(TEST_SDL.replace('timeline: [Event!]!', 'timeline: Event')), 'ok');
});

test('analyses kept: when full, only the least recently used operation is forgotten (and measured again)', async () => {
  const plugin = useOperationLimits({ maxCost: 10, cacheSize: 2 });
  const listener = (await plugin.requestDidStart!({} as any))!;
  const schema = buildSchema(TEST_SDL);
  // An analysis is kept by query hash: a costlier document sent under a hash already analysed shows whether it was kept.
  const check = async (queryHash: string, query: string) => {
    const document = parse(query);
    const requestContext = { schema, document, operation: getOperationAST(document)!, queryHash, request: {} };
    return listener.didResolveOperation!(requestContext as any).then(() => 'ok', (error) => error.extensions.actual);
  };
  const cheap = '{ dossier(code: "x") { code } }';
  const dear = '{ dossier(code: "x") { timeline { at } } }'; // costs 22
  assert.equal(await check('a', cheap), 'ok');
  assert.equal(await check('b', cheap), 'ok');
  assert.equal(await check('a', dear), 'ok', 'a was kept (and is now the most recently used)');
  assert.equal(await check('c', cheap), 'ok'); // full: b, the least recently used, goes
  assert.equal(await check('a', dear), 'ok', 'a is still kept');
  assert.equal(await check('b', dear), 22, 'b was forgotten: measured again');
});

test('through the gateway over HTTP: a refused operation gets 400 and no subgraph request', async () => {
  const gateway = await startTestGateway({ limits: { maxDepth: 3 }, rateLimit: false });
  try {
    const deep = await gateway.post({ query: '{ dossier(code: "x") { applicant { dossiers { code } } } }' });
    assert.equal(deep.status, 400);
    assert.equal(deep.body.errors?.[0]?.extensions?.code, 'OPERATION_LIMIT_EXCEEDED');
    assert.equal(deep.body.errors?.[0]?.extensions?.limit, 'depth');
    assert.equal(gateway.subgraphRequests(), 0);
    const ok = await gateway.post({ query: '{ dossier(code: "x") { applicant { fullName } } }' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.data.dossier.applicant.fullName, 'Nguyễn Văn An');
    assert.equal(gateway.subgraphRequests(), 1);
  } finally {
    await gateway.stop();
  }
});

test('configuration from the environment', () => {
  assert.equal(operationLimitsFromEnv({ GATEWAY_OPERATION_LIMITS: 'off' }), false);
  assert.deepEqual(operationLimitsFromEnv({ GATEWAY_MAX_DEPTH: '8', GATEWAY_MAX_COST: '2000' }), {
    maxDepth: 8, maxAliases: undefined, maxRootFields: undefined, maxCost: 2000, defaultListSize: undefined,
  });
  assert.throws(() => operationLimitsFromEnv({ GATEWAY_MAX_DEPTH: 'deep' }), /GATEWAY_MAX_DEPTH/);
});
