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

/** Spread arguments that cannot grow with input: array literals and forwarded rest parameters. */
const SPREAD_ALLOWED =
  ":not([argument.type='ArrayExpression']):not([argument.name=/^(args|parts)$/])";

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
  {
    // Spreading an array into call arguments (`push(...x)`, `Math.max(...x)`, `f(...x)`) puts every
    // item on the stack: past ~100k items it throws "Maximum call stack size exceeded" (an index
    // listing 130,000 missing tensors crashed the CLI with exit 70). Use `appendAll` from
    // core/append-all.ts or a loop. Allowed: spreading an array literal (its size is in the
    // source) and forwarding a rest parameter named `args` or `parts`. Tests and test helpers
    // spread small fixed lists freely.
    files: ['core/**/*.ts', 'cli/**/*.ts', 'workers/**/*.ts', 'app/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', '**/testing/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `:matches(CallExpression, NewExpression) > SpreadElement${SPREAD_ALLOWED}`,
          message:
            'no spread arguments: an input-sized array overflows the stack. Use appendAll (core/append-all.ts) or a loop.',
        },
      ],
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
