import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { useApiKeys, useCreateApiKey, useRevokeApiKey, type ApiKeyRow, type CreatedKey } from '../../api/account.ts'
import { t } from '../../lib/i18n/index.ts'
import {
  Alert,
  Badge,
  Button,
  CopyButton,
  DataTable,
  DateTime,
  Dialog,
  ErrorAlert,
  Section,
  TextInput,
  useServerErrors,
  useToast,
  type Column,
} from '../../ui/index.ts'
import { apiKeySchema, type ApiKeyForm } from './account.schema.ts'

/** Keys made before keys had names (or by an operator without one) have none. */
const keyName = (k: { name: string | null }): string => k.name ?? t.account.keyUnnamed

/** API keys: create (the key is shown once), see when each was last used, revoke. */
export function KeysPage() {
  const keys = useApiKeys()
  const toast = useToast()
  const [created, setCreated] = useState<CreatedKey | null>(null)
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null)
  const revoke = useRevokeApiKey({
    onSuccess: () => {
      setRevoking(null)
      toast.success(t.account.keyRevoked)
    },
  })
  const columns: Column<ApiKeyRow>[] = [
    { header: t.account.keyName, rowHeader: true, cell: k => keyName(k) },
    { header: t.account.keyPrefix, cell: k => <code>{k.prefix}…</code> },
    { header: t.account.keyCreated, cell: k => <DateTime value={k.created_at} /> },
    {
      header: t.account.keyLastUsed,
      cell: k => (k.last_used_at ? <DateTime value={k.last_used_at} relative /> : t.account.keyNeverUsed),
    },
    {
      header: t.account.keyStatus,
      cell: k =>
        k.revoked_at ? (
          <Badge tone="neutral">{t.status.revoked}</Badge>
        ) : (
          <Badge tone="success">{t.account.keyActive}</Badge>
        ),
    },
    {
      header: t.account.keyActions,
      cell: k =>
        k.revoked_at ? null : (
          <Button
            variant="secondary"
            aria-label={t.account.keyRevokeLabel({ name: keyName(k) })}
            onClick={() => {
              revoke.reset()
              setRevoking(k)
            }}
          >
            {t.account.keyRevoke}
          </Button>
        ),
    },
  ]
  return (
    <>
      <Section title={t.account.keysTitle}>
        <p>{t.account.keysIntro}</p>
        {created !== null ? (
          <NewKey created={created} onDone={() => setCreated(null)} />
        ) : (
          <CreateKeyForm onCreated={setCreated} />
        )}
        {keys.isError && <ErrorAlert error={keys.error} />}
        <DataTable
          caption={t.account.keysTitle}
          captionHidden
          columns={columns}
          rows={keys.data}
          rowKey={k => k.id}
          loading={keys.isPending}
          empty={t.account.keysNone}
        />
      </Section>
      <Dialog
        open={revoking !== null}
        onOpenChange={open => {
          if (!open) setRevoking(null)
        }}
        dismissable={!revoke.isPending}
        title={t.account.keyRevoke}
        description={revoking ? t.account.keyRevokeConfirm({ name: keyName(revoking) }) : undefined}
        footer={
          <Button
            variant="danger"
            pending={revoke.isPending}
            onClick={() => {
              if (revoking) revoke.mutate(revoking.id)
            }}
          >
            {t.account.keyRevoke}
          </Button>
        }
      >
        {revoke.isError && <ErrorAlert error={revoke.error} />}
      </Dialog>
    </>
  )
}

function CreateKeyForm({ onCreated }: { onCreated: (k: CreatedKey) => void }) {
  const { register, handleSubmit, setError, reset, formState } = useForm<ApiKeyForm, unknown, { name: string }>({
    resolver: zodResolver(apiKeySchema),
    defaultValues: { name: '' },
  })
  const server = useServerErrors(setError, ['name'])
  const create = useCreateApiKey({
    onSuccess: k => {
      reset()
      onCreated(k)
    },
    onError: e => server.handle(e),
  })
  const submit = handleSubmit(({ name }) => {
    server.clear()
    create.mutate(name)
  })
  return (
    <form className="form" onSubmit={e => void submit(e)} noValidate>
      {server.formError !== null && <ErrorAlert error={server.formError} />}
      <TextInput label={t.account.keyName} required error={formState.errors.name?.message} {...register('name')} />
      <div className="actions">
        <Button type="submit" pending={create.isPending} pendingLabel={t.account.keyCreating}>
          {t.account.keyCreate}
        </Button>
      </div>
    </form>
  )
}

function NewKey({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  return (
    <div className="card">
      <Alert tone="warning">
        <p>{t.account.keyShownOnce}</p>
      </Alert>
      <p>
        <code className="secret">{created.api_key}</code>
      </p>
      <p className="actions">
        <CopyButton value={created.api_key} />
        <Button onClick={onDone}>{t.account.keyDone}</Button>
      </p>
    </div>
  )
}
