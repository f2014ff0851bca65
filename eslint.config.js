// ESLint flat config: neostandard (JavaScript Standard Style for TypeScript, maintained by the
// Node.js community) over the sources, tests, scripts and benchmarks, with the house deviations
// below. Formatting is these rules; nothing is formatted by hand.
import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['node_modules/**', 'data/**', 'web/dist/**'] }),
  {
    rules: {
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      // `return void res.end()` ends a raw HTTP handler in one line (the fakes).
      'no-void': 'off',
      // `export const JobKind = {…}` with `export type JobKind = …`: TypeScript checks real redeclarations.
      '@typescript-eslint/no-redeclare': 'off',
      // The tree packs several properties on one line of a multi-line object; unpacking 900 of
      // them is a formatting change of its own (issue 10), not mixed into behaviour changes.
      '@stylistic/object-property-newline': 'off',
    },
  },
]
