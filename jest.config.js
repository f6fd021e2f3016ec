/**
 * Two jest projects over every package; `npm test` (or plain `jest`) runs both.
 *
 * - unit: tests of the sources, no build needed.
 * - integration: tests that run built code: the `fluxir` command (host/dist), worker threads and
 *   processes (core/dist, host/dist), the built-in plugins as the host loads them (their dist entries),
 *   the panel bundle (host/panel/dist). Before them, scripts/check-build.js stops the run, naming what is
 *   stale, when that code is older than its sources (`npm run build` brings it up to date).
 *
 * `jest --selectProjects unit` (npm run test:unit) runs only the first.
 */
/** Tests under test/ run the built host and plugins, except these, which import sources only. */
const SOURCE_ONLY_UNDER_TEST = ['plugin-contract', 'inpaint-holes', 'server-config'];

/** Tests inside the packages that run built code. */
const BUILT_IN_PACKAGES = [
  'core/src/engine/worker-pool-stepper', // core/dist/engine/tile-worker.js in worker threads
  'host/src/restore/default-restore-service', // a plugin package that loads plugins/denoise/dist
  'host/src/plugin-tools/plugin-tools', // host/dist/cli/main.js
  'examples/plugin-jpeg-artifacts/test/cli-restore', // host/dist/cli/main.js with the example's dist
];

/** The integration tests as globs (their project's testMatch) and as path patterns (the unit project's ignore list). */
const integrationGlobs = [
  '<rootDir>/test/**/*.test.ts',
  ...SOURCE_ONLY_UNDER_TEST.map((name) => `!**/test/${name}.test.ts`),
  ...BUILT_IN_PACKAGES.map((file) => `<rootDir>/${file}.test.ts`),
];
const integrationPaths = [
  `<rootDir>/test/(?!(${SOURCE_ONLY_UNDER_TEST.join('|')})\\.test\\.ts$)`,
  ...BUILT_IN_PACKAGES.map((file) => `<rootDir>/${file.replace(/[.-]/g, '\\$&')}\\.test\\.ts$`),
];

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  roots: ['<rootDir>/core', '<rootDir>/sdk', '<rootDir>/host', '<rootDir>/plugins', '<rootDir>/examples', '<rootDir>/test'],
  moduleNameMapper: {
    '^@fluxir/core$': '<rootDir>/core/src/index.ts',
    '^@fluxir/core/(.*)$': '<rootDir>/core/src/$1',
    '^@fluxir/sdk$': '<rootDir>/sdk/src/index.ts',
    '^@fluxir/sdk/(.*)$': '<rootDir>/sdk/src/$1',
    '^@fluxir/plugin-([a-z0-9-]+)$': '<rootDir>/plugins/$1/src/index.ts',
  },
};

module.exports = {
  testTimeout: 120000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', ...integrationPaths],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: integrationGlobs,
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
      globalSetup: '<rootDir>/scripts/check-build.js',
    },
  ],
};
