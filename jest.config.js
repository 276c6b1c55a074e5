/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type errors are caught once by `npm run typecheck`; per-file transpiling (isolatedModules in tsconfig.json) keeps jest fast.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  // Suites that drive the real Terraform binary need minutes, not seconds.
  testTimeout: 240_000,
  maxWorkers: 2,
};
