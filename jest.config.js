/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  // The worker's '@azure/functions-core' module does not exist outside the Functions host: the embedded
  // host provides it (src/local/functions-core.ts), exactly as the Node worker would.
  moduleNameMapper: { '^@azure/functions-core$': '<rootDir>/src/local/functions-core.ts' },
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/json-results-reporter.js'],
};
