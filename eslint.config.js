// Lint rules for the whole workspace. Besides the usual TypeScript checks, two rules guard the shape of
// the core: no import cycle anywhere (type-only ones included), and imports inside packages/core/src point down the layers only
// (protocol ← engine ← realtime ← server).
import js from '@eslint/js';
import globals from 'globals';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import { noTypeCycle } from './scripts/eslint-no-type-cycle.mjs';

const core = './packages/core/src';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**', '**/.next/**', '**/next-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX, switchyard: { rules: { 'no-type-cycle': noTypeCycle } } },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['packages/*/tsconfig.json'] })],
      'switchyard/root': import.meta.dirname,
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: `${core}/protocol`,
              from: [`${core}/engine`, `${core}/realtime`, `${core}/server`],
              message: 'protocol/ holds pure codecs and imports nothing else of the project.',
            },
            {
              target: `${core}/engine`,
              from: [`${core}/realtime`, `${core}/server`],
              message: 'engine/ may import only protocol/.',
            },
            {
              target: `${core}/realtime`,
              from: [`${core}/server`],
              message: 'realtime/ may import only engine/ and protocol/.',
            },
            {
              target: core,
              from: ['./packages/testing'],
              message: 'the core ships without its test kit: @switchyard/testing sits above it.',
            },
            {
              target: './packages/testing/src',
              from: [core],
              message: 'the test kit imports @switchyard/core by its name, as a user does (one copy of core).',
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // import-x's no-cycle does not follow type-only imports (and has no option to): this rule does.
    files: ['packages/*/src/**/*.ts'],
    rules: {
      'switchyard/no-type-cycle': [
        'error',
        {
          allow: [
            {
              from: `${core}/realtime/socket.ts`,
              to: `${core}/realtime/namespace.ts`,
              reason: "the public type of socket.nsp (socket.io's Namespace<…>): a type, not a call (what a socket calls on its namespace is the narrow SocketNamespace of socket-namespace.ts); the one cycle left",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
