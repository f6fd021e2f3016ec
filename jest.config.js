/** One jest run over every package; sources are tested directly, no build needed. */
const plugins = require('./host/builtin-plugins.json');
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  roots: ['<rootDir>/core', '<rootDir>/sdk', '<rootDir>/host', '<rootDir>/plugins', '<rootDir>/examples', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleNameMapper: {
    '^@fluxir/core$': '<rootDir>/core/src/index.ts',
    '^@fluxir/core/(.*)$': '<rootDir>/core/src/$1',
    '^@fluxir/sdk$': '<rootDir>/sdk/src/index.ts',
    '^@fluxir/sdk/(.*)$': '<rootDir>/sdk/src/$1',
    ...Object.fromEntries(plugins.map((p) => [`^@fluxir/plugin-${p}$`, `<rootDir>/plugins/${p}/src/index.ts`])),
  },
  testTimeout: 120000,
};
