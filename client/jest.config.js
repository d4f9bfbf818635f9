// Component tests: next/jest compiles TS/JSX with Next's own SWC (no ts-jest), loads next.config and
// maps CSS imports away. `e2e/` is Playwright's, not Jest's.
const nextJest = require('next/jest');

const createJestConfig = nextJest({ dir: __dirname });

/** @type {import('jest').Config} */
module.exports = createJestConfig({
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/components', '<rootDir>/lib', '<rootDir>/app'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
  moduleNameMapper: {
    '^@/(.*)$': '<rootDir>/$1',
    '^server-only$': '<rootDir>/lib/testing/empty.js',
  },
  maxWorkers: 2,
});
