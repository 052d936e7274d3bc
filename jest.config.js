// Jest for the whole workspace: one project per package (unit tests beside their code) and one per kind of
// end-to-end suite, so each runs alone: `npm test -- --selectProjects land`, `npm test -- --selectProjects e2e kafka`.
// TypeScript goes through @swc/jest with decorator metadata (type-graphql and TypeORM read it); workspace packages map to
// their sources, so a test and the code it imports are one build. Processes the tests start run the compiled dist/.
const path = require('node:path');

const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
}];

const swcJs = ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }];

const SUBGRAPHS = ['single-window', 'civil-status', 'business-registration', 'land', 'tax'];
const moduleNameMapper = {
  '^@onestop/platform$': '<rootDir>/platform/src/index.ts',
  '^@onestop/platform/gateway$': '<rootDir>/platform/src/gateway.ts',
  '^@onestop/platform/testing$': '<rootDir>/platform/src/testing/index.ts',
  '^@onestop/gateway$': '<rootDir>/gateway/src/index.ts',
  [`^@onestop/(${SUBGRAPHS.join('|')})$`]: '<rootDir>/subgraphs/$1/src/index.ts',
};

const E2E = 'scripts/src/e2e';
function project(displayName, roots, extra = {}) {
  return {
    displayName,
    rootDir: __dirname,
    roots: roots.map((root) => `<rootDir>/${root}`),
    testEnvironment: 'node',
    testMatch: ['**/*.test.ts'],
    // jose is ESM only; Node 20 requires it natively, but jest's module loader does not (before Node 24.9)
    transform: { '^.+\\.ts$': swc, '/node_modules/jose/.+\\.js$': swcJs },
    transformIgnorePatterns: ['/node_modules/(?!jose/)'],
    moduleNameMapper,
    setupFiles: ['<rootDir>/scripts/src/testing/setup-file.ts'],
    ...extra,
  };
}

module.exports = {
  projects: [
    project('platform', ['platform/src']),
    project('gateway', ['gateway/src']),
    ...SUBGRAPHS.map((name) => project(name, [`subgraphs/${name}/src`])),
    project('scripts', ['scripts/src'], { testPathIgnorePatterns: [`/${E2E}/`] }),
    // The federated stack started from dist/ (SQLite and MariaDB), the handoff flows on the embedded bus, security.
    project('e2e', [E2E], { testPathIgnorePatterns: ['\\.kafka\\.test\\.ts$', '\\.secure\\.test\\.ts$', '\\.browser\\.test\\.ts$'] }),
    // Apache Kafka and MariaDB (and kcat against them).
    project('kafka', [E2E], { testMatch: ['**/*.kafka.test.ts'] }),
    // The secured Kafka cluster (SASL_SSL, SCRAM, the contracts' ACLs).
    project('kafka-secure', [E2E], { testMatch: ['**/*.secure.test.ts'] }),
    // The explorer in headless Chromium.
    project('browser', [E2E], { testMatch: ['**/*.browser.test.ts'] }),
  ],
  // Each test file in a worker process of its own, as a test file's stack, consumers and timers belong to it alone: a
  // worker is replaced after every file (jest would otherwise run in its own process on two cores, and keep leftovers).
  workerIdleMemoryLimit: '1MB',
  globalSetup: path.join(__dirname, 'scripts/dist/testing/global-setup.js'),
  // A stack is started once per suite file; its tests share it, in order.
  testTimeout: Number(process.env.TEST_TIMEOUT_MS ?? 300_000),
  coverageProvider: 'v8',
  coverageReporters: ['text-summary', 'lcov'],
  coverageDirectory: '<rootDir>/coverage',
  // Just under the whole suite's count (80.6 % statements and lines, 86.6 % branches, 80.6 % functions): a run of
  // `npm run test:coverage` that drops below fails. A run of some projects only counts the others' files as unrun.
  coverageThreshold: { global: { statements: 80.5, lines: 80.5, branches: 85.5, functions: 82.5 } },
  collectCoverageFrom: ['{platform,gateway,scripts}/src/**/*.ts', 'subgraphs/*/src/**/*.ts', '!**/*.test.ts'],
};
