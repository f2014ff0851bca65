import type { ConfigPath } from './define.ts'
import { ACCOUNT_VARS } from './vars-accounts.ts'
import { BILLING_VARS } from './vars-billing.ts'
import { NOTIFY_VARS } from './vars-notify.ts'
import { PLATFORM_VARS } from './vars-platform.ts'
import { WEB_VARS } from './vars-web.ts'

/**
 * Every environment variable oxbill reads, in the order `--help` and the README list them within
 * their group. `loadConfig` reads nothing else; `npm run docs:config` regenerates the README table.
 */
export const VARS = { ...PLATFORM_VARS, ...BILLING_VARS, ...NOTIFY_VARS, ...ACCOUNT_VARS, ...WEB_VARS }

export type VarName = keyof typeof VARS

type Filled = (typeof VARS)[VarName]['field']
type Unfilled = Exclude<ConfigPath, Filled>
// A Config field no variable fills would be left undefined: the compiler names it here.
export const everyFieldFilled: [Unfilled] extends [never] ? true : Unfilled = true
