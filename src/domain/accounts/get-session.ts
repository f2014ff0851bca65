import type { Principal } from '../auth/api-keys.ts'
import { formatTimestamp } from '../orders/render.ts'
import { accountUser, ownUser, sessionEnds, type AccountDeps } from './views.ts'

/** Who is signed in: the user, and with a session cookie the session itself. */
export async function getSession(deps: Pick<AccountDeps, 'db'>, input: { principal: Principal }) {
  const user = accountUser(await ownUser(deps.db, input.principal.userId))
  if (input.principal.sessionId === undefined) return { user, session: null }
  const s = await deps.db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', input.principal.sessionId)
    .executeTakeFirstOrThrow()
  return {
    user,
    session: {
      id: s.id,
      created_at: formatTimestamp(s.created_at)!,
      last_seen_at: formatTimestamp(s.last_seen_at)!,
      expires_at: formatTimestamp(sessionEnds(s))!,
    },
  }
}
