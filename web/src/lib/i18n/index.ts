import { en } from './en.ts'

/** The portal's copy. One locale today; a second is a second file plus a key-parity unit test. */
export const t = en
export { plural } from './plural.ts'
