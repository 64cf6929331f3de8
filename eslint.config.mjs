import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.kafka/', 'coverage/', 'dashboard/public/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', document: 'readonly', window: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-imports': 'off',
    },
  },
  {
    // cep/ is the pure engine: no I/O libraries may leak into it.
    files: ['cep/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['kafkajs', 'pg', 'express', 'socket.io', 'fs', 'node:fs', 'net', 'node:net', 'http', 'node:http', 'child_process', 'node:child_process', '@kafkajs/confluent-schema-registry', '@electric-sql/pglite'],
        patterns: ['**/services/**'],
      }],
    },
  },
);
