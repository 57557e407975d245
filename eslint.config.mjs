import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Billing's modules (services/billing/src/modules/*): another module, a flow (src/flows) or an
 * entry point imports a module only through its index.ts; a module imports no flow.
 */
const BILLING = 'services/billing/src';
const billingModules = readdirSync(`${import.meta.dirname}/${BILLING}/modules`, {
  withFileTypes: true,
})
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const intoModule = (names) => ({
  regex: `(^|/)(${names.join('|')})/(?!index$)`,
  message: 'Import another billing module through its index.ts only, never its internals.',
});
const billingBoundaries = [
  ...billingModules.map((name) => ({
    files: [`${BILLING}/modules/${name}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            intoModule(billingModules.filter((other) => other !== name)),
            {
              regex: '(^|/)flows(/|$)',
              message: 'Modules do not import flows; a flow combines modules (src/flows).',
            },
          ],
        },
      ],
    },
  })),
  {
    files: [`${BILLING}/*.ts`, `${BILLING}/flows/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [intoModule(['modules/[^/]+'])] }],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.infra/**',
      '.run/**',
      'coverage/**',
      // generated from the OpenAPI document at build (libs/api-client/scripts/generate.mjs)
      'libs/api-client/src/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.cjs', 'scripts/**/*.mjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
  {
    files: ['jest.config.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', __dirname: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...billingBoundaries,
);
