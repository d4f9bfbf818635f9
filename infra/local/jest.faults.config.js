// `npm run test:faults`: the fault-injection suite (src/faults/*.faults.ts), a few minutes long, run on
// its own. Its files do not end in .test.ts, so the normal `npm test` (jest.config.js) never picks it up.
/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  testMatch: ['**/*.faults.ts'],
  maxWorkers: 1,
  testTimeout: 600000,
};
