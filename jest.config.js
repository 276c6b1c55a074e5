/** Packages published only as ES modules that the tests load (the provider's age library). */
const ESM_ONLY = '(age-encryption|@noble/[^/]+|@scure/[^/]+)';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type errors are caught once by `npm run typecheck`; per-file transpiling (isolatedModules in tsconfig.json) keeps jest fast.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // age-encryption and its noble/scure dependencies are ES modules only (scripts/jest-esm-transform.js).
    [`/node_modules/${ESM_ONLY}/.+\\.js$`]: '<rootDir>/scripts/jest-esm-transform.js',
  },
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)`],
  // Suites that drive the real Terraform binary need minutes, not seconds.
  testTimeout: 240_000,
  maxWorkers: 2,
};
