import { zodResolver } from '@hookform/resolvers/zod'
import { useForm } from 'react-hook-form'
import { Link, useNavigate } from 'react-router'
import { useCreatePleskClient, type CreateClientBody } from '../../api/plesk.ts'
import { t } from '../../lib/i18n/index.ts'
import {
  Button,
  ErrorAlert,
  Page,
  TextInput,
  useServerErrors,
  useToast,
  useUnsavedChangesPrompt,
} from '../../ui/index.ts'
import { useOrderIntent } from '../orders/useOrderIntent.ts'
import { pleskClientSchema, type PleskClientInput, type PleskClientValues } from './plesk-client.schema.ts'

const c = t.portal.pleskClient

/**
 * A new Plesk client (POST /API/plesk/clients/create). The API makes the Plesk account in a job
 * and honours an Idempotency-Key, so the submit carries one per intended client, kept across a
 * retry of the same form.
 */
export function NewClientPage() {
  const navigate = useNavigate()
  const toast = useToast()
  const intent = useOrderIntent()
  const form = useForm<PleskClientInput, unknown, PleskClientValues>({
    resolver: zodResolver(pleskClientSchema),
    defaultValues: { name: '', login: '', email: '', password: '', company: '' },
  })
  const done = form.formState.isSubmitSuccessful && !form.formState.isSubmitting
  useUnsavedChangesPrompt(form.formState.isDirty && !done)
  const server = useServerErrors(form.setError, ['name', 'login', 'email', 'password', 'company'])
  const create = useCreatePleskClient({
    onSuccess: res => {
      intent.settle(null)
      form.reset(form.getValues())
      toast.success(c.created({ name: res.data.name }))
      void navigate('/plesk?clients=1', { replace: true })
    },
    onError: err => {
      intent.settle(err)
      server.handle(err)
    },
  })
  const submit = form.handleSubmit(values => {
    server.clear()
    const body = {
      name: values.name,
      login: values.login,
      email: values.email,
      password: values.password,
      ...(values.company === undefined ? {} : { company: values.company }),
    } satisfies CreateClientBody
    create.mutate({ body, idempotencyKey: intent.keyFor(body) })
  })
  const e = form.formState.errors
  return (
    <Page title={c.title} back={<Link to="/plesk">{c.back}</Link>} description={c.intro}>
      <form noValidate onSubmit={ev => void submit(ev)}>
        <TextInput label={c.name} required autoComplete="name" error={e.name?.message} {...form.register('name')} />
        <TextInput
          label={c.company}
          optional
          autoComplete="organization"
          error={e.company?.message}
          {...form.register('company')}
        />
        <TextInput
          label={c.email}
          type="email"
          required
          autoComplete="email"
          error={e.email?.message}
          {...form.register('email')}
        />
        <TextInput
          label={c.login}
          hint={c.loginHint}
          required
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          error={e.login?.message}
          {...form.register('login')}
        />
        <TextInput
          label={c.password}
          hint={c.passwordHint}
          type="password"
          required
          autoComplete="new-password"
          error={e.password?.message}
          {...form.register('password')}
        />
        {server.formError !== null && <ErrorAlert error={server.formError} title={c.failed} />}
        <p className="actions">
          <Button type="submit" pending={create.isPending} pendingLabel={c.creating}>
            {c.submit}
          </Button>
        </p>
      </form>
    </Page>
  )
}
