import type { ServerAction } from '../../api/servers.ts'
import { t } from '../../lib/i18n/index.ts'
import { DataTable, DateTime, Status } from '../../ui/index.ts'
import { actionName, actionResult } from './action-labels.ts'

const c = t.portal.manage

/** Every recent action on the VM (power, reinstall, password, rescue), newest first. */
export function ActionsTable({
  actions,
  loading,
  osNameOf,
}: {
  actions: readonly ServerAction[] | undefined
  loading: boolean
  osNameOf: (osId: string) => string
}) {
  return (
    <DataTable<ServerAction>
      caption={c.actions}
      captionHidden
      rows={actions}
      loading={loading}
      rowKey={a => a.id}
      empty={c.noActions}
      columns={[
        { header: c.action, rowHeader: true, cell: a => actionName(a.action) },
        { header: c.status, cell: a => <Status status={a.status} /> },
        { header: c.requested, cell: a => <DateTime value={a.created_at} /> },
        { header: c.finished, cell: a => (a.finished_at === null ? '—' : <DateTime value={a.finished_at} />) },
        { header: c.result, cell: a => actionResult(a, osNameOf) ?? '—' },
      ]}
    />
  )
}
