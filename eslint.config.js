// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Import direction: app -> workers (type-only) -> core. core imports nothing of ours. */
const noImportsFrom = (/** @type {string[]} */ folders) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: folders.map((f) => ({
        group: [`**/${f}/*`, `**/${f}`],
        message: `this folder may not import from ${f}/ (see the folder README)`,
      })),
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'public/sample/**',
      'test-results/**',
      'playwright-report/**',
      'bench-data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always'],
    },
  },
  { files: ['core/**/*.ts'], rules: noImportsFrom(['app', 'workers', 'cli', 'e2e']) },
  { files: ['workers/**/*.ts'], rules: noImportsFrom(['app', 'cli', 'e2e']) },
  { files: ['cli/**/*.ts'], rules: noImportsFrom(['app', 'workers', 'e2e']) },
  {
    files: ['app/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, ...noImportsFrom(['cli', 'e2e']) },
  },
  { files: ['workers/**/*.ts'], languageOptions: { globals: { ...globals.worker } } },
);
