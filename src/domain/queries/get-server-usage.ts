import type { Db } from '../../db/connect.ts'
import type { SolusVmApi, UsageSeries, UsageSpecification } from '../../integrations/solusvm/types.ts'
import type { Principal } from '../auth/api-keys.ts'
import { AppError } from '../../lib/errors.ts'
import { ownerScope, requireOwned } from '../access/authorize.ts'

/** Server states whose VM is gone or never existed: there is nothing to measure. */
const NO_VM = new Set(['provision_failed', 'deleted'])

/**
 * Usage graphs of a server (docs/0xhost-compat.md 3.3), read live from SolusVM. A server without a VM yet
 * (still provisioning, or failed) is a 409 `invalid_state`, not a provider error.
 */
export async function getServerUsage(
  deps: { db: Db; solusvm: SolusVmApi },
  input: { principal: Principal; userId?: string; serverId: string; specification: UsageSpecification },
): Promise<UsageSeries> {
  const owner = await ownerScope(deps.db, input.principal, input.userId)
  const server = await requireOwned(deps.db, input.principal, 'servers', input.serverId, {
    access: 'read',
    owner,
    usable: s => {
      if (s.id_solusvm === null || NO_VM.has(s.status)) {
        throw new AppError(
          'invalid_state',
          `server '${s.id}' is ${s.status}; usage is available once it is provisioned`,
          {
            details: { status: s.status },
          },
        )
      }
    },
  })
  return deps.solusvm.usage(server.id_solusvm!, input.specification)
}
