/**
 * Configuration is read once, from the environment and command-line flags (flags win), as one
 * schema (`config/schema.ts`) describes it; validated and frozen. Nothing else in oxbill reads
 * process.env. The schema also writes `--help`'s variable list and the README's table.
 */
export type { Config } from './config/types.ts'
export { ConfigError } from './config/types.ts'
export { assertRunnable, loadConfig } from './config/parse.ts'
