// Lint rules that guard the architecture: no floating promises (every server action is awaited and
// bounded) and packages reach each other only through their public `exports`. Import cycles are
// checked by scripts/check-cycles.mjs (part of `npm run lint`).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/*/bin/**', 'scripts/**', 'bench/**', '.sandbox/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', {
        // node:test's test()/describe() return promises the runner itself tracks.
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }],
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': 'off',
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@mmm-ts/*/src/*', '@mmm-ts/*/dist/*', '@mmm-ts/*/test/*'], message: 'Import another package only through its public exports.' },
          { group: ['../../protocol/*', '../../agent/*', '../../monitor/*', '../../../packages/*'], message: 'Deep import across packages: use the package name (@mmm-ts/…).' },
        ],
      }],
    },
  },
);
