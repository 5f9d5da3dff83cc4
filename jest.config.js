/**
 * Two projects: the suites that need a PostgreSQL server (the Lambda handlers
 * and the migrations and roles of db/, run against a real embedded server)
 * and everything else. Jest runs a
 * project's global setup only when one of its tests is selected, so
 * `npx jest test/config` starts no database.
 * @type {import('jest').Config}
 */
const common = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  // swc strips types only; `npm run typecheck` (tsc --noEmit) does the type checking.
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  // Removes the temporary cloud assemblies that tests synthesize.
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  snapshotSerializers: ['<rootDir>/test/helpers/asset-hash-serializer.ts'],
};

module.exports = {
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/test'],
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/lambda/',
        '<rootDir>/test/db/',
        '<rootDir>/test/helpers/embedded-postgres-server.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'database',
      roots: ['<rootDir>/test'],
      // The handlers, the schema migrations and roles, and the server helper itself (its
      // non-root case needs the setup's OS user).
      testMatch: [
        '<rootDir>/test/lambda/**/*.test.ts',
        '<rootDir>/test/db/**/*.test.ts',
        '<rootDir>/test/helpers/embedded-postgres-server.test.ts',
      ],
      // One embedded PostgreSQL server per run for these suites (test/helpers/postgres.ts).
      globalSetup: '<rootDir>/test/helpers/postgres-global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/postgres-global-teardown.ts',
    },
  ],
};
