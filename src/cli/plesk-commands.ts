import { systemClock } from '../deps.ts'
import { createSecretBox } from '../lib/secret-box.ts'
import { resolveSecretsKey } from '../app/secrets-key.ts'
import { suspendSubscription } from '../domain/plesk/suspend-subscription.ts'
import { resumeSubscription } from '../domain/plesk/resume-subscription.ts'
import { flags, printJson, required, withDb } from './context.ts'

/**
 * `oxbill plesk suspend ID [--reason R]` and `oxbill plesk resume ID`: an operator's suspension,
 * queued like the admin API does (action row, `plesk.action` job, audit with actor "cli"); the
 * serving process's worker runs the job. Prints the action.
 */
export async function pleskSuspend(argv: string[]): Promise<number> {
  const { values, positionals } = flags(argv, { reason: { type: 'string' } })
  return withDb(argv, async (h, config) => {
    const action = await suspendSubscription(
      {
        db: h.db,
        clock: systemClock,
        secretBox: createSecretBox(resolveSecretsKey(config.secretsKey, config.dataDir)),
        jobMaxAttempts: config.jobMaxAttempts,
      },
      { actor: 'cli', subscriptionId: required(positionals[0], 'subscription id (positional)'), reason: values.reason },
    )
    printJson(action)
    return 0
  })
}

export async function pleskResume(argv: string[]): Promise<number> {
  const { positionals } = flags(argv, {})
  return withDb(argv, async (h, config) => {
    const action = await resumeSubscription(
      {
        db: h.db,
        clock: systemClock,
        secretBox: createSecretBox(resolveSecretsKey(config.secretsKey, config.dataDir)),
        jobMaxAttempts: config.jobMaxAttempts,
      },
      { actor: 'cli', subscriptionId: required(positionals[0], 'subscription id (positional)') },
    )
    printJson(action)
    return 0
  })
}
