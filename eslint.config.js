// ESLint flat config. neostandard (JavaScript Standard Style for TypeScript, kept by the Node.js
// community) supplies the correctness rules; its style rules are off because Prettier formats the
// tree (`npm run format`), so the two never disagree.
import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, noStyle: true, ignores: ['node_modules/**', 'data/**', 'web/dist/**'] }),
  {
    rules: {
      // `return void res.end()` ends a raw HTTP handler in one line (the fakes).
      'no-void': 'off',
      // `export const JobKind = {…}` with `export type JobKind = …`: TypeScript checks real redeclarations.
      '@typescript-eslint/no-redeclare': 'off',
    },
  },
]
