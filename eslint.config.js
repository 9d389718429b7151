// Lint rules that keep the layers honest: main/core is plain Node (never electron), the renderer
// is a web page (never Node or Electron), and modules use named exports.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const namedExportsOnly = { selector: 'ExportDefaultDeclaration', message: 'Use named exports: one name per thing, greppable everywhere.' };

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'https', 'worker_threads', 'url', 'stream'];

export const layerRules = {
  core: {
    'no-restricted-imports': [
      'error',
      { paths: [{ name: 'electron', message: 'main/core is plain Node: keep Electron in the thin shell (main/*.ts).' }] },
    ],
    'no-restricted-syntax': [
      'error',
      namedExportsOnly,
      {
        // db.transaction(fn) alone is a deferred transaction: with two writers on a cache (the app and
        // a sync or scan thread) one that reads before writing fails at once if the other committed
        // meanwhile. So every transaction(...) must be followed by .immediate (called or stored).
        selector: "CallExpression[callee.property.name='transaction']:not(MemberExpression[property.name='immediate'] > CallExpression.object)",
        message: 'Run write transactions with db.transaction(fn).immediate(): they then wait for the other writer (busy_timeout) instead of failing with SQLITE_BUSY_SNAPSHOT.',
      },
    ],
  },
  renderer: {
    'no-restricted-imports': [
      'error',
      {
        paths: [{ name: 'electron', message: 'The renderer talks only to window.auditApi.' }],
        patterns: [
          { group: nodeBuiltins, message: 'The renderer is a web page: no Node modules. Ask the main side through the contract.' },
          { group: ['better-sqlite3*'], message: 'The renderer never touches the database.' },
          { group: ['**/main/**'], message: 'The renderer may import only the contract (preload/contract), not main code.' },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/.data/**', 'bench/.build/**', 'release/**', '.exp/**', 'test/e2e/.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', namedExportsOnly],
    },
  },
  { files: ['main/core/**/*.ts', 'test/fixtures/lint/main/core/**/*.ts'], rules: layerRules.core },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...layerRules.renderer, 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  // Tests read untyped JSON replies all the time; `any` there is honest, not a leak into the product.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // electron-builder hooks are CommonJS by that tool's convention.
  { files: ['scripts/**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // We match control characters on purpose (validating and escaping untrusted text).
  { rules: { 'no-control-regex': 'off' } },
  // Tool configs must default-export by their tools' convention.
  { files: ['*.config.{js,ts,mjs}', 'eslint.config.js'], rules: { 'no-restricted-syntax': 'off' } },
  // The lint fixture exists to be linted by test/unit/lint/layer-boundaries.test.ts, not by `npm run lint`.
  { ignores: ['test/fixtures/lint/**'] },
);
