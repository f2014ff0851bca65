// ESLint flat config. neostandard (JavaScript Standard Style for TypeScript, kept by the Node.js
// community) supplies the correctness rules; its style rules are off because Prettier formats the
// tree (`npm run format`), so the two never disagree. typescript-eslint adds rules that need the
// types (a forgotten `await` on a money write is the bug they catch); import-x enforces the
// layers drawn in docs/architecture.md and refuses import cycles.
import neostandard from 'neostandard'
import importX from 'eslint-plugin-import-x'

/** Which top-level parts of `src/` each part may import (docs/architecture.md, "Layers"). */
const layers = {
  lib: [],
  'config.ts': ['lib', 'config'],
  config: ['lib', 'config.ts'],
  db: ['lib'],
  integrations: ['lib'],
  outbox: ['db', 'lib'],
  fakes: ['integrations', 'lib'],
  'deps.ts': ['config.ts', 'db', 'lib', 'outbox', 'integrations'],
  domain: ['config.ts', 'deps.ts', 'db', 'lib', 'outbox', 'integrations'],
  jobs: ['config.ts', 'deps.ts', 'domain', 'db', 'lib', 'outbox', 'integrations'],
  http: ['config.ts', 'deps.ts', 'domain', 'db', 'lib', 'outbox', 'integrations'],
  seed: ['config.ts', 'deps.ts', 'domain', 'db', 'lib', 'outbox'],
}
const parts = [
  'lib',
  'config.ts',
  'config',
  'db',
  'integrations',
  'outbox',
  'fakes',
  'deps.ts',
  'domain',
  'jobs',
  'http',
  'seed',
  'app',
  'cli',
]
// `src/config.ts` and `src/config/` are one part: whoever may read the configuration may use either.
const withConfig = allowed => (allowed.includes('config.ts') ? [...allowed, 'config'] : allowed)
const zones = Object.entries(layers).flatMap(([part, allowedHere]) =>
  parts
    .filter(other => other !== part && !withConfig(allowedHere).includes(other))
    .map(other => ({
      target: `./src/${part}`,
      from: `./src/${other}`,
      message: `src/${part} may import only ${
        withConfig(allowedHere)
          .map(a => `src/${a}`)
          .join(', ') || 'nothing else in src'
      } (docs/architecture.md, "Layers").`,
    })),
)

export default [
  ...neostandard({
    ts: true,
    noStyle: true,
    ignores: ['node_modules/**', 'data/**', 'web/dist/**', 'web/src/api/schema.d.ts'],
  }),
  {
    rules: {
      // `return void res.end()` ends a raw HTTP handler in one line (the fakes).
      'no-void': 'off',
      // `export const JobKind = {…}` with `export type JobKind = …`: TypeScript checks real redeclarations.
      '@typescript-eslint/no-redeclare': 'off',
    },
  },
  {
    files: ['**/*.ts', 'web/**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/extensions': ['.ts', '.js', '.mjs'] },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-base-to-string': 'error',
      '@typescript-eslint/restrict-plus-operands': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
    },
  },
  {
    // The web portal (web/): browser code, checked by web/tsconfig.json (its unit tests and the
    // Vite config by the root one). The layer zones above name only src/, so they do not apply;
    // the portal's own rule is that it is a client of the HTTP API and imports nothing of src/.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', location: 'readonly' },
    },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './web',
              from: './src',
              message: 'the web portal talks to oxbill over HTTP only (api/client.ts); it imports nothing of src/',
            },
          ],
        },
      ],
    },
  },
]
