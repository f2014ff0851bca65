import { zodResolver } from '@hookform/resolvers/zod'
import { useForm, useWatch } from 'react-hook-form'
import { useSetMailPreferences, type MailPreferences, type MailPreferencesBody } from '../../api/notifications.ts'
import { t } from '../../lib/i18n/index.ts'
import {
  Button,
  Checkbox,
  ErrorAlert,
  TextInput,
  useServerErrors,
  useToast,
  useUnsavedChangesPrompt,
} from '../../ui/index.ts'
import { EventTypeChoices } from './EventTypeChoices.tsx'
import { mailPreferencesSchema, type MailPreferencesInput } from './mail-preferences.schema.ts'

const c = t.portal.mail

/** Which events are mailed, and where (PUT /API/notifications/mail); Save only when something changed. */
export function MailPreferencesForm({ preferences }: { preferences: MailPreferences }) {
  const toast = useToast()
  const defaults: MailPreferencesInput = {
    enabled: preferences.enabled,
    address: preferences.address ?? '',
    all_events: preferences.events === null,
    events: preferences.events ?? [],
  }
  const form = useForm<MailPreferencesInput, unknown, MailPreferencesBody>({
    resolver: zodResolver(mailPreferencesSchema),
    defaultValues: defaults,
  })
  useUnsavedChangesPrompt(form.formState.isDirty)
  const server = useServerErrors(form.setError, ['address', 'events', 'enabled'])
  const save = useSetMailPreferences({
    onSuccess: p => {
      form.reset({
        enabled: p.enabled,
        address: p.address ?? '',
        all_events: p.events === null,
        events: p.events ?? [],
      })
      toast.success(c.saved)
    },
    onError: err => server.handle(err),
  })
  const all = useWatch({ control: form.control, name: 'all_events' })
  const enabled = useWatch({ control: form.control, name: 'enabled' })
  const submit = form.handleSubmit(body => {
    server.clear()
    save.mutate(body)
  })
  const e = form.formState.errors
  return (
    <form noValidate onSubmit={ev => void submit(ev)}>
      <Checkbox label={c.enabled} hint={c.enabledHint} {...form.register('enabled')} />
      <TextInput
        label={c.address}
        hint={c.addressHint({ address: preferences.effective_address })}
        type="email"
        optional
        autoComplete="email"
        disabled={!enabled}
        error={e.address?.message}
        {...form.register('address')}
      />
      <Checkbox label={c.allEvents} disabled={!enabled} {...form.register('all_events')} />
      <EventTypeChoices legend={c.events} register={form.register('events')} disabled={!enabled || all} />
      {server.formError !== null && <ErrorAlert error={server.formError} title={c.saveFailed} />}
      <p className="actions">
        <Button type="submit" pending={save.isPending} pendingLabel={t.form.saving} disabled={!form.formState.isDirty}>
          {t.form.save}
        </Button>
      </p>
    </form>
  )
}
