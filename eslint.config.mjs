// ESLint flat config. The determinism rules of orchestrators (house style) are enforced on src/orchestrations/**.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const orchestratorBans = {
  'no-restricted-globals': [
    'error',
    { name: 'Date', message: 'Orchestrators are replayed: use context.df.currentUtcDateTime.' },
    { name: 'setTimeout', message: 'Orchestrators are replayed: use context.df.createTimer.' },
    { name: 'setInterval', message: 'Orchestrators are replayed: use context.df.createTimer.' },
    { name: 'setImmediate', message: 'Orchestrators are replayed: use durable tasks only.' },
    { name: 'fetch', message: 'No I/O in orchestrators: call an activity.' },
    { name: 'process', message: 'Settings arrive in the orchestration input; the trigger reads the environment.' },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Orchestrators are replayed: use context.df.newGuid().' },
    { object: 'Date', property: 'now', message: 'Orchestrators are replayed: use context.df.currentUtcDateTime.' },
    { object: 'process', property: 'env', message: 'Settings arrive in the orchestration input.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: 'NewExpression[callee.name="Date"]', message: 'Orchestrators are replayed: use context.df.currentUtcDateTime.' },
    { selector: 'FunctionDeclaration[async=true]', message: 'Orchestrators are generator functions (function*), never async.' },
    { selector: 'ArrowFunctionExpression[async=true]', message: 'Orchestrators are generator functions (function*), never async.' },
    { selector: 'FunctionExpression[async=true]', message: 'Orchestrators are generator functions (function*), never async.' },
    { selector: 'AwaitExpression', message: 'No await in orchestrators: yield durable tasks.' },
    {
      selector: 'CallExpression[callee.name="planFor"][arguments.0.value="execute"]',
      message: 'Dry run is a type: derive the plan mode from the input (runModeOf) or from an executable plan, never the literal "execute" (src/orchestrations/workflow-plan.ts).',
    },
  ],
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['@azure/arm-*', '@azure/identity', '@azure/core-*', '@azure/storage-*'], message: 'No SDK clients in orchestrators: call an activity.' },
        { group: ['node:*', 'fs', 'http', 'https', 'net', 'child_process', 'os', 'crypto'], message: 'No I/O in orchestrators.' },
        { group: ['**/azure/clients', '**/activities/*', '!**/activities/names'], allowTypeImports: true, message: 'Orchestrators call activities by name; import only types.' },
        { group: ['**/emulator/**'], message: 'The product never imports the emulator from orchestrators.' },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Deployment scripts run by azd on the deployer's machine: plain CommonJS for Node.js, no dependency.
    files: ['infra/**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', fetch: 'readonly', setTimeout: 'readonly' },
    },
  },
  {
    files: ['src/orchestrations/**/*.ts'],
    rules: orchestratorBans,
  },
  {
    // The emulator is an independent reading of Azure's rules: it never imports the product.
    files: ['emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/**', '../src/*', '../../src/*'], message: 'The emulator never imports the product (src/).' }] }],
    },
  },
);
