// Two projects so that `npm test` runs everything while a unit-only run never starts a broker:
// a project's globalSetup runs only when one of its tests is selected.
const transform = {
  '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }],
  // PGlite's CommonJS build loads Node built-ins with import(), which jest's module sandbox refuses
  // without --experimental-vm-modules; compiled to CommonJS, those become require() calls.
  '/@electric-sql/pglite/dist/.+\\.cjs$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
};
const common = {
  testEnvironment: '<rootDir>/test/node-environment.js',
  transform,
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  // The example rule pack is a repository of its own, tested with its own jest against the packed
  // engine (test/engine-package.test.ts); the engine package's build output is not source.
  modulePathIgnorePatterns: ['<rootDir>/examples/rule-pack/', '<rootDir>/packages/cep/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '/.kafka/', '<rootDir>/examples/rule-pack/'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      setupFilesAfterEnv: ['<rootDir>/test/unit/timeouts.ts'],
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.int\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/integration/timeouts.ts'],
    },
  ],
};
