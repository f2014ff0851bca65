import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { vpsPlansQuery } from '../../api/catalog.ts'
import { useReinstall, type Server } from '../../api/servers.ts'
import { t } from '../../lib/i18n/index.ts'
import { Button, Checkbox, Dialog, ErrorAlert, GuardedButton, Secret, Select, Skeleton } from '../../ui/index.ts'
import { refusalText } from './refusal-text.ts'
import type { Verdict } from './server-actions.ts'
import { osName, planImages } from './os-images.ts'

const c = t.portal.manage

/**
 * Reinstall: the plan's images, an explicit "data is deleted" confirmation, then the new root
 * password, shown once. The password lives only in this mutation's result: closing the dialog
 * resets the mutation and it is gone from the page (the API keeps no readable copy either).
 */
export function ReinstallDialog({ server, verdict }: { server: Server; verdict: Verdict }) {
  const [open, setOpen] = useState(false)
  const plans = useQuery({ ...vpsPlansQuery(), enabled: open })
  const images = planImages(plans.data, server.plan_id)
  const [osId, setOsId] = useState('')
  const [understood, setUnderstood] = useState(false)
  const reinstall = useReinstall()
  const done = reinstall.data
  const close = (o: boolean) => {
    setOpen(o)
    if (!o) reinstall.reset()
  }
  const chosen = osId === '' ? String(server.os_image_id) : osId
  return (
    <>
      <GuardedButton
        variant="secondary"
        reason={refusalText(verdict)}
        onClick={() => {
          reinstall.reset()
          setOsId('')
          setUnderstood(false)
          setOpen(true)
        }}
      >
        {c.reinstall}
      </GuardedButton>
      <Dialog
        open={open}
        onOpenChange={close}
        dismissable={!reinstall.isPending}
        title={done === undefined ? c.reinstallTitle : c.passwordTitle}
        description={done === undefined ? c.reinstallBody : c.passwordOnce}
        footer={
          done === undefined && (
            <Button
              variant="danger"
              disabled={!understood || images === null || images.length === 0}
              pending={reinstall.isPending}
              pendingLabel={c.sending}
              onClick={() => reinstall.mutate({ server_id: server.id, os_id: chosen })}
            >
              {c.reinstallConfirm}
            </Button>
          )
        }
      >
        {done !== undefined ? (
          <Secret label={c.passwordLabel} value={done.root_password} copyLabel={c.copyPassword} />
        ) : plans.isError ? (
          <ErrorAlert error={plans.error} />
        ) : images === null ? (
          <Skeleton lines={2} />
        ) : images.length === 0 ? (
          <p>{c.reinstallNoImages}</p>
        ) : (
          <>
            <Select
              label={c.reinstallOs}
              value={chosen}
              onChange={e => setOsId(e.target.value)}
              options={images.map(i => ({
                value: i.id,
                label: i.id === String(server.os_image_id) ? c.reinstallCurrent({ name: osName(i) }) : osName(i),
              }))}
            />
            <Checkbox
              label={c.reinstallUnderstand}
              checked={understood}
              onChange={e => setUnderstood(e.target.checked)}
            />
          </>
        )}
        {reinstall.error !== null && <ErrorAlert error={reinstall.error} />}
      </Dialog>
    </>
  )
}
