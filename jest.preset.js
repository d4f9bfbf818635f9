// One jest setup for every workspace: ts-jest (transpile only; `tsc` type-checks in `npm run build`),
// `@ticketing/common` mapped to its sources so tests never run against a stale build.
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleNameMapper: {
    '^@ticketing/common$': path.join(__dirname, 'common/src/index.ts'),
    '^@ticketing/common/testing$': path.join(__dirname, 'common/src/testing/index.ts'),
    '^@ticketing/common/engines$': path.join(__dirname, 'common/src/engines/index.ts'),
  },
  testTimeout: 30000,
  // Each test file starts its own engines; two at a time suits a 2-core machine.
  maxWorkers: 2,
};
