// ESLint flat config: JavaScript and TypeScript recommended rules (syntactic; no type information,
// so linting stays fast on two cores). Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'out/',
    'dist*/',
    'node_modules/',
    'test-results/',
    'playwright-report/',
    'docs/graph.schema.json',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      // One config for the whole tree: Electron main and the CLI (node), the renderer (browser),
      // and the engine's Web Worker (worker).
      globals: { ...globals.browser, ...globals.node, ...globals.worker },
    },
    rules: {
      // A leading underscore marks a deliberately unused argument or binding.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
        },
      ],
    },
  },
);
