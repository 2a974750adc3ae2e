// Lint: typescript-eslint recommended, plus the one architectural rule that matters most:
// app/core is pure domain code and must not reach up into platform, host, shell or ui.
import tseslint from 'typescript-eslint';

const upward = ['platform', 'host', 'shell', 'ui', 'cli', 'sim'];

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
    files: ['app/core/**/*.ts', 'app/core/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: upward.map((layer) => ({
          regex: `(^|/)(\\.\\./)+${layer}(/|$)`,
          message: `app/core must not import from app/${layer}: core is pure domain code; put the adapter in platform and inject it.`,
        })),
      }],
    },
  },
  {
    // Tests may poke at loosely typed mocks.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['app/ui/**/*.ts', 'app/ui/**/*.tsx'],
    ignores: ['app/ui/vite.config.ts', 'app/ui/build-voice.ts'], // build tooling, runs in Node
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^node:', message: 'The renderer never touches Node: call the kiosk API instead.' },
          ...['platform', 'host', 'shell', 'cli', 'sim'].map((layer) => ({
            regex: `(^|/)(\\.\\./)+${layer}(/|$)`,
            message: `app/ui must not import from app/${layer}: it talks to the host only through the kiosk API.`,
          })),
        ],
      }],
    },
  },
);
