/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // swc strips types only; `npm run typecheck` (tsc --noEmit) does the type checking.
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  // Removes the temporary cloud assemblies that tests synthesize.
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  snapshotSerializers: ['<rootDir>/test/helpers/asset-hash-serializer.ts'],
};
