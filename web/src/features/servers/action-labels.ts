import { t } from '../../lib/i18n/index.ts'

const NAMES: Record<string, string> = t.portal.power.names
const c = t.portal.manage

/** An action kind in words ("Reinstall"); an unknown kind as the API spells it. */
export const actionName = (action: string): string => NAMES[action] ?? action.replaceAll('_', ' ')

export interface ActionResultFacts {
  readonly action: string
  readonly status: string
  readonly error: string | null
  readonly os_id?: string | number | null
  readonly password_ready?: boolean
  readonly password_delivery?: string | null
}

/**
 * The line an action's row adds: the failure's text, the image a reinstall put on, or where a
 * reset password went. Null: nothing to add.
 */
export function actionResult(a: ActionResultFacts, osNameOf: (osId: string) => string): string | null {
  if (a.status === 'failed') return a.error
  if (a.status !== 'done') return null
  if (a.action === 'reinstall' && a.os_id !== undefined && a.os_id !== null) {
    return c.osChangedTo({ os: osNameOf(String(a.os_id)) })
  }
  if (a.action === 'reset_password') {
    if (a.password_delivery === 'email') return c.passwordByEmail
    if (a.password_ready === true) return c.passwordReady
    if (a.password_delivery === 'shown') return c.passwordShown
  }
  return null
}
