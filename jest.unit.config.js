/**
 * `npm run test:unit`: the fast run. No Terraform, no child processes (the
 * setup file makes any attempt fail), no network beyond in-process servers.
 * Tests that start processes are named *.e2e.test.ts (node, npm, the CLI, the
 * cdktf app) or *.terraform.test.ts (the real terraform binary); `npm test`
 * runs everything.
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', '\\.(e2e|terraform)\\.test\\.ts$'],
  setupFiles: ['<rootDir>/test/support/no-child-processes.ts'],
  testTimeout: 30_000,
};
