// Lint: typescript-eslint recommended, plus the rule that holds the layers of app/ (eslint-layers.js):
// core is pure and imports no Node I/O, a site's pure half imports only core, platform never imports
// sim, only demo wiring reaches the simulators, sites never import each other, and only the site
// registries name a site. test/unit/layering.test.ts shows each of these refusing what it must.
import tseslint from 'typescript-eslint';
import { layers } from './eslint-layers.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'models/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['app/**/*.ts', 'app/**/*.tsx'],
    plugins: { layers },
    rules: { 'layers/imports': 'error' },
  },
  {
    // Tests may poke at loosely typed mocks.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
