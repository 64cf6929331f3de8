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
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      setupFilesAfterEnv: ['<rootDir>/test/unit/timeouts.ts'],
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$', '/.kafka/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/.kafka/'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/integration/timeouts.ts'],
    },
  ],
};
