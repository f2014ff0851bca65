import type { Db } from '../../db/connect.ts'
import type { SolusBootMode, SolusServerStatus, SolusVmApi } from '../../integrations/solusvm/types.ts'
import type { Principal } from '../auth/api-keys.ts'
import { renderServerRow } from '../orders/render.ts'
import { addonsByServer } from './server-rows.ts'
import { ownerScope, requireOwned } from '../access/authorize.ts'

/** How long the detail waits for SolusVM's power state and boot mode before answering without them. */
export const POWER_STATUS_WAIT_MS = 1500

/** Server statuses whose VM exists at SolusVM (a power state means something). */
const HAS_VM = new Set(['active', 'suspending', 'suspended', 'resizing', 'terminating'])

/**
 * One server as the docs' full server row (`server_status` of docs/0xhost-compat.md 3.11, change
 * plan) plus its addons, `cancel_at`, and `power_status`: SolusVM's live `status` of the VM
 * (`started`, `stopped`, `processing`…), and `boot_mode` (`disk`, `rescue`) from the same call, or
 * null when SolusVM does not answer within POWER_STATUS_WAIT_MS or the server has no VM — the
 * detail never fails because SolusVM is down.
 */
export async function getServer(
  deps: { db: Db; solusvm: SolusVmApi },
  input: { principal: Principal; userId?: string; serverId: string },
) {
  const db = deps.db
  const owner = await ownerScope(db, input.principal, input.userId)
  const server = await requireOwned(db, input.principal, 'servers', input.serverId, { access: 'read', owner })
  const live =
    server.id_solusvm !== null && HAS_VM.has(server.status) ? liveState(deps.solusvm, server.id_solusvm) : null
  const addons = await addonsByServer(db, [server.id])
  return {
    ...(await renderServerRow(db, server.id)),
    cancel_at: server.cancel_at === null ? null : server.cancel_at.toISOString(),
    addons: addons.get(server.id) ?? [],
    ...((await live) ?? UNKNOWN),
  }
}

interface LiveState {
  power_status: SolusServerStatus | null
  boot_mode: SolusBootMode | null
}
const UNKNOWN: LiveState = { power_status: null, boot_mode: null }

async function liveState(solusvm: SolusVmApi, vmId: number): Promise<LiveState> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<LiveState>(resolve => {
    timer = setTimeout(() => resolve(UNKNOWN), POWER_STATUS_WAIT_MS)
  })
  try {
    const live = solusvm.getServer(vmId).then(
      vm => (vm === null ? UNKNOWN : { power_status: vm.status, boot_mode: vm.bootMode }),
      () => UNKNOWN,
    )
    return await Promise.race([live, late])
  } finally {
    clearTimeout(timer)
  }
}
