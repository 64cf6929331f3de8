import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.kafka/', 'coverage/', 'dashboard/public/vendor/', '**/dist/'] },
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
  {
    // The behavioural fraud generator is what rules are measured on, so it must not know them. This
    // catches a direct import; services/simulator/behaviours/independence.test.ts, an indirect one.
    files: ['services/simulator/behaviours/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        // ../../../rules/starter and the like: the rule packs at the top, not cep/rules (the DSL).
        patterns: [{ regex: '^(\\.\\./)+rules(/|$)', message: 'The behavioural generator must not depend on any rule pack.' }],
      }],
    },
  },
);
