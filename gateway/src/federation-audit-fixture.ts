import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';

/**
 * Four small subgraphs (a shop: products, inventory, reviews, accounts) that between them use every federation
 * feature the audit checks: entities resolved across subgraphs, @requires, @provides, interfaces and unions whose
 * members are entities, @shareable fields and value types, @override, @inaccessible, and a nested (compound) key.
 * Also an entity interface completed through @interfaceObject and a @requires of a nested selection.
 * In-process, over HTTP, so a gateway reaches them as it reaches ours.
 */

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@inaccessible", "@external", "@provides", "@requires", "@override", "@listSize", "@interfaceObject"])';

interface Category { id: string; name: string; subCategories: Category[] }
const standing: Category = { id: 'c3', name: 'Standing desks', subCategories: [] };
const desks: Category = { id: 'c2', name: 'Desks', subCategories: [standing, { id: 'c4', name: 'School desks', subCategories: [] }] };
const furniture: Category = { id: 'c1', name: 'Furniture', subCategories: [desks] };
const lamps: Category = { id: 'c5', name: 'Lamps', subCategories: [] };

const PRODUCTS = [
  { upc: '1', name: 'Oak desk', price: 1200, weight: 15, dimensions: { length: 140, width: 70, unit: 'cm' }, stockNote: 'products: call us', internalCode: 'X-1', categories: [furniture] },
  { upc: '2', name: 'Desk lamp', price: 90, weight: 1, dimensions: { length: 20, width: 20, unit: 'cm' }, stockNote: 'products: call us', internalCode: 'X-2', categories: [lamps, furniture] },
  { upc: '3', name: 'Bookshelf', price: 400, weight: 30, dimensions: { length: 90, width: 40, unit: 'cm' }, stockNote: 'products: call us', internalCode: 'X-3', categories: [] },
];
const MEDIA = [
  { __typename: 'Book', id: 'b1', title: 'Federation in practice', pages: 320 },
  { __typename: 'Movie', id: 'm1', title: 'The query plan', minutes: 97 },
  { __typename: 'Book', id: 'b2', title: 'Keys and entities', pages: 150 },
];
const SITES = [{ country: 'VN', city: 'Hà Nội' }, { country: 'VN', city: 'Đà Nẵng' }];
const WAREHOUSES = [
  { code: 'W1', site: SITES[0], name: 'North', capacity: 1000 },
  { code: 'W1', site: SITES[1], name: 'Central', capacity: 250 },
];
const USERS = [
  { id: 'u1', username: 'an', name: 'Nguyễn Văn An', secret: 's1' },
  { id: 'u2', username: 'binh', name: 'Trần Thị Bình', secret: 's2' },
];
const REVIEWS = [
  { id: 'r1', body: 'Solid.', authorId: 'u1', upc: '1' },
  { id: 'r2', body: 'Too bright.', authorId: 'u2', upc: '2' },
  { id: 'r3', body: 'Sturdy and tall.', authorId: 'u2', upc: '1' },
  { id: 'r4', body: 'A classic.', authorId: 'u1', bookId: 'b1' },
];

const byUpc = (upc: string) => PRODUCTS.find((p) => p.upc === upc);

function products() {
  const ratings = new Map<string, number>();
  return {
    typeDefs: `${LINK}
      type Query {
        topProducts(first: Int = 5): [Product!]!
        product(upc: String!): Product
        media: [Media!]!
        search(term: String!): [SearchResult!]!
        warehouses: [Warehouse!]!
      }
      type Mutation { rate(upc: String!, stars: Int!): Product }
      interface Media @key(fields: "id") { id: ID! title: String! }
      type Book implements Media @key(fields: "id") { id: ID! title: String! pages: Int! }
      type Movie implements Media @key(fields: "id") { id: ID! title: String! minutes: Int! }
      union SearchResult = Product | Book | Movie
      type Product @key(fields: "upc") {
        upc: String!
        name: String! @shareable
        price: Int!
        weight: Int!
        dimensions: Dimensions!
        stockNote: String!
        rating: Int
        internalCode: String @inaccessible
        categories: [Category!]! @listSize(assumedSize: 3)
      }
      type Category { id: ID! name: String! subCategories: [Category!]! @listSize(assumedSize: 5) }
      type Dimensions @shareable { length: Int! width: Int! unit: String! }
      type Warehouse @key(fields: "code site { country city }") { code: String! site: Site! name: String! }
      type Site @shareable { country: String! city: String! }`,
    resolvers: {
      Query: {
        topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first),
        product: (_: unknown, { upc }: { upc: string }) => byUpc(upc) ?? null,
        media: () => MEDIA,
        search: (_: unknown, { term }: { term: string }) => [
          ...PRODUCTS.filter((p) => p.name.toLowerCase().includes(term.toLowerCase())).map((p) => ({ __typename: 'Product', ...p })),
          ...MEDIA.filter((m) => m.title.toLowerCase().includes(term.toLowerCase())),
        ],
        warehouses: () => WAREHOUSES,
      },
      Mutation: {
        rate: (_: unknown, { upc, stars }: { upc: string; stars: number }) => {
          ratings.set(upc, stars);
          return byUpc(upc) ?? null;
        },
      },
      Product: {
        __resolveReference: (ref: { upc: string }) => byUpc(ref.upc) ?? null,
        rating: (p: { upc: string }) => ratings.get(p.upc) ?? null,
      },
      Media: {
        __resolveType: (m: { __typename: string }) => m.__typename,
        __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id) ?? null,
      },
      Book: { __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id) },
      Movie: { __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id) },
      SearchResult: { __resolveType: (m: { __typename: string }) => m.__typename },
      Warehouse: {
        __resolveReference: (ref: { code: string; site: { country: string; city: string } }) =>
          WAREHOUSES.find((w) => w.code === ref.code && w.site.country === ref.site.country && w.site.city === ref.site.city) ?? null,
      },
    },
  };
}

function inventory() {
  return {
    typeDefs: `${LINK}
      type Product @key(fields: "upc") {
        upc: String!
        price: Int! @external
        weight: Int! @external
        shippingEstimate: Int! @requires(fields: "price weight")
        dimensions: Dimensions! @external
        packaging: String! @requires(fields: "dimensions { length width }")
        inStock: Boolean
        stockNote: String! @override(from: "products")
      }
      type Warehouse @key(fields: "code site { country city }") { code: String! site: Site! capacity: Int! }
      type Site @shareable { country: String! city: String! }
      type Dimensions @shareable { length: Int! width: Int! unit: String! }
      type Media @key(fields: "id") @interfaceObject { id: ID! copies: Int! }`,
    resolvers: {
      Media: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, copies: ref.id === 'm1' ? 0 : ref.id.length * 2 }) },
      Product: {
        __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ref,
        // free above 1000, else half the weight; needs both fields from the products subgraph
        shippingEstimate: (p: { price: number; weight: number }) => (p.price > 1000 ? 0 : Math.ceil(p.weight / 2)),
        inStock: (p: { upc: string }) => {
          if (p.upc === '3') throw new GraphQLError('Stock unknown for this product', { extensions: { code: 'NOT_FOUND' } });
          return p.upc === '1';
        },
        // a nested @requires: the box follows the footprint
        packaging: (p: { dimensions: { length: number; width: number } }) => (p.dimensions.length * p.dimensions.width > 5000 ? 'pallet' : 'box'),
        stockNote: (p: { upc: string }) => `inventory: ${p.upc === '1' ? 'ships today' : 'ships next week'}`,
      },
      Warehouse: {
        __resolveReference: (ref: { code: string; site: { country: string; city: string } }) => {
          const found = WAREHOUSES.find((w) => w.code === ref.code && w.site.city === ref.site.city);
          return found ? { ...ref, capacity: found.capacity } : null;
        },
      },
    },
  };
}

function reviews() {
  const review = (r: (typeof REVIEWS)[number]) => ({ ...r, author: { id: r.authorId, username: USERS.find((u) => u.id === r.authorId)!.username } });
  return {
    typeDefs: `${LINK}
      type Query { latestReviews: [Review!]! }
      type Review @key(fields: "id") {
        id: ID!
        body: String!
        author: User! @provides(fields: "username")
        product: Product
      }
      type User @key(fields: "id") { id: ID! username: String! @external reviews: [Review!]! }
      type Product @key(fields: "upc") { upc: String! name: String! @shareable reviews: [Review!]! }
      type Book @key(fields: "id") { id: ID! reviewCount: Int! }`,
    resolvers: {
      Query: { latestReviews: () => REVIEWS.map(review) },
      Review: {
        __resolveReference: (ref: { id: string }) => {
          const found = REVIEWS.find((r) => r.id === ref.id);
          return found ? review(found) : null;
        },
        product: (r: { upc?: string }) => (r.upc ? { upc: r.upc } : null),
      },
      User: {
        __resolveReference: (ref: { id: string }) => ref,
        reviews: (u: { id: string }) => REVIEWS.filter((r) => r.authorId === u.id).map(review),
      },
      Product: {
        __resolveReference: (ref: { upc: string }) => ref,
        name: (p: { upc: string }) => byUpc(p.upc)!.name,
        reviews: (p: { upc: string }) => REVIEWS.filter((r) => r.upc === p.upc).map(review),
      },
      Book: {
        __resolveReference: (ref: { id: string }) => ref,
        reviewCount: (b: { id: string }) => REVIEWS.filter((r) => r.bookId === b.id).length,
      },
    },
  };
}

function accounts() {
  return {
    typeDefs: `${LINK}
      type Query { me: User users: [User!]! user(id: ID!): User }
      type User @key(fields: "id") { id: ID! username: String! @shareable name: String! secret: String @inaccessible }`,
    resolvers: {
      Query: {
        me: () => USERS[0],
        users: () => USERS,
        user: (_: unknown, { id }: { id: string }) => USERS.find((u) => u.id === id) ?? null,
      },
      User: { __resolveReference: (ref: { id: string }) => USERS.find((u) => u.id === ref.id) ?? null },
    },
  };
}

export interface AuditSubgraphs {
  supergraphSdl: string;
  stop(): Promise<void>;
}

/** Starts the four subgraphs on free ports and composes their supergraph (throws on a composition error). */
export async function startAuditSubgraphs(): Promise<AuditSubgraphs> {
  const definitions = { products: products(), inventory: inventory(), reviews: reviews(), accounts: accounts() };
  const servers: ApolloServer[] = [];
  const services: { name: string; url: string; typeDefs: ReturnType<typeof parse> }[] = [];
  try {
    for (const [name, { typeDefs, resolvers }] of Object.entries(definitions)) {
      const document = parse(typeDefs);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: document, resolvers: resolvers as any }), plugins: [ApolloServerPluginInlineTraceDisabled()] });
      servers.push(server);
      const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
      services.push({ name, url, typeDefs: document });
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    throw error;
  }
  const composed = composeServices(services);
  if (composed.errors) {
    await Promise.all(servers.map((s) => s.stop()));
    throw new Error(`the audit's subgraphs do not compose: ${composed.errors.map((e) => e.message).join('; ')}`);
  }
  return { supergraphSdl: composed.supergraphSdl, stop: async () => void (await Promise.all(servers.map((s) => s.stop()))) };
}
