/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // swc strips types only; `npm run typecheck` (tsc --noEmit) does the type checking.
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  // Removes the temporary cloud assemblies that tests synthesize.
  // One embedded PostgreSQL server per run for the trigger tests (test/helpers/postgres.ts).
  globalSetup: '<rootDir>/test/helpers/postgres-global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/postgres-global-teardown.ts',
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  snapshotSerializers: ['<rootDir>/test/helpers/asset-hash-serializer.ts'],
};
