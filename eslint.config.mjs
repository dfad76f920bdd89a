import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';
import stylistic from '@stylistic/eslint-plugin';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.tmp/', 'custom-elements.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { '@stylistic': stylistic },
    rules: {
      // Prettier (.prettierrc.json) wraps code at 120 columns; this holds what it cannot wrap
      // (comments) to the same width. Strings, template literals and regular expressions are
      // exempt: a SIP message or a long URL reads better whole than cut.
      '@stylistic/max-len': [
        'error',
        {
          code: 120,
          tabWidth: 2,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
          ignoreUrls: true,
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Never innerHTML: use Lit templates or textContent.' },
      ],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/components/**/*.ts', 'demo/**/*.ts', 'src/index.ts'],
    ...litConfigs['flat/recommended'],
  },
  {
    files: ['src/components/**/*.ts', 'demo/**/*.ts', 'src/index.ts'],
    ...wcConfigs['flat/recommended'],
  },
  {
    // Tests may read innerHTML to prove that a secret never reached the markup.
    files: ['**/*.test.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // A browser test is skipped only for want of WebRTC, through the helper that says so: then a
    // skipped count in a run means exactly that (scripts/test.mjs reports it as such).
    files: ['src/**/*.test.ts', 'test/browser/**/*.ts'],
    ignores: ['src/stack/**', 'test/browser/webrtc-capability.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='skip'], CallExpression[callee.name=/^x(it|describe|context)$/]",
          message:
            'Skip only with describeNeedingWebRTC() or itNeedingWebRTC() (test/browser/webrtc-capability.ts), which report why.',
        },
      ],
    },
  },
  {
    // The stack is DOM-free and runs in Node and browsers: no globals of either.
    files: ['src/stack/**/*.ts'],
    ignores: ['src/stack/**/*.test.ts'],
    languageOptions: { globals: { ...globals.es2021 } },
    rules: { 'no-console': 'error' },
  },
  {
    // Test doubles and rigs are named *.fake.ts and *.fixtures.ts, and the build leaves them out of
    // dist/: shipped source that imported one would break, or drag test code to users.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/*.fake.ts', 'src/**/*.fixtures.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '\\.(fake|fixtures)$', message: 'Test doubles and rigs are for tests only.' }] },
      ],
    },
  },
);
