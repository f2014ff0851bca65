import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { Link } from 'react-router'
import { useCreateWebhook, type CreateEndpointBody, type EndpointWithSecret } from '../../api/webhooks.ts'
import { t } from '../../lib/i18n/index.ts'
import { Button, ErrorAlert, TextInput, useServerErrors, useUnsavedChangesPrompt } from '../../ui/index.ts'
import { EventTypeChoices } from './EventTypeChoices.tsx'
import { SecretOnce } from './SecretOnce.tsx'
import { webhookSchema, type WebhookInput, type WebhookValues } from './webhook.schema.ts'

const c = t.portal.webhooks

/** Register an endpoint; the answer holds its signing secret, shown here once. */
export function WebhookForm() {
  const [created, setCreated] = useState<EndpointWithSecret | null>(null)
  const form = useForm<WebhookInput, unknown, WebhookValues>({
    resolver: zodResolver(webhookSchema),
    defaultValues: { url: '', events: [], description: '' },
  })
  useUnsavedChangesPrompt(form.formState.isDirty && created === null)
  const server = useServerErrors(form.setError, ['url', 'events', 'description'])
  const create = useCreateWebhook({
    onSuccess: res => {
      setCreated(res)
      form.reset()
    },
    onError: err => server.handle(err),
  })
  if (created !== null) {
    return (
      <div>
        <SecretOnce secret={created.secret} />
        <p className="actions">
          <Link to={`/notifications/webhooks/${encodeURIComponent(created.endpoint.id)}`}>{c.openEndpoint}</Link>
          <Button variant="secondary" onClick={() => setCreated(null)}>
            {c.addAnother}
          </Button>
        </p>
      </div>
    )
  }
  const submit = form.handleSubmit(values => {
    server.clear()
    const body = {
      url: values.url,
      events: values.events,
      ...(values.description === '' ? {} : { description: values.description }),
    } satisfies CreateEndpointBody
    create.mutate(body)
  })
  const e = form.formState.errors
  return (
    <form noValidate onSubmit={ev => void submit(ev)}>
      <TextInput
        label={c.url}
        hint={c.urlHint}
        type="url"
        inputMode="url"
        required
        autoComplete="off"
        spellCheck={false}
        error={e.url?.message}
        {...form.register('url')}
      />
      <TextInput label={c.description} optional error={e.description?.message} {...form.register('description')} />
      <EventTypeChoices legend={c.events} hint={c.eventsHint} register={form.register('events')} />
      {server.formError !== null && <ErrorAlert error={server.formError} title={c.createFailed} />}
      <p className="actions">
        <Button type="submit" pending={create.isPending} pendingLabel={c.creating}>
          {c.create}
        </Button>
      </p>
    </form>
  )
}
