import { zodResolver } from '@hookform/resolvers/zod'
import { useForm } from 'react-hook-form'
import { useNavigate } from 'react-router'
import { useCreateTopUp } from '../../api/payments.ts'
import { useSession } from '../../api/session.ts'
import type { BodyOf } from '../../api/types.ts'
import { t } from '../../lib/i18n/index.ts'
import { Button, ErrorAlert, TextInput, useServerErrors, useUnsavedChangesPrompt } from '../../ui/index.ts'
import { topUpSchema, type TopUpInput, type TopUpValues } from './top-up.schema.ts'

const c = t.portal.topUp

/**
 * Top up the balance by crypto: the amount is text (inputMode decimal) and goes to the API as the
 * string typed (STYLE-web rule 10). The answer is an invoice; its page shows the address, the
 * amount, the QR code and the pay link, and follows its status until it is paid.
 */
export function TopUpForm() {
  const session = useSession()
  const navigate = useNavigate()
  const form = useForm<TopUpInput, unknown, TopUpValues>({
    resolver: zodResolver(topUpSchema),
    defaultValues: { amount: '', pay_currency: '' },
  })
  useUnsavedChangesPrompt(form.formState.isDirty && !form.formState.isSubmitSuccessful)
  const server = useServerErrors(form.setError, ['amount', 'pay_currency'])
  const topUp = useCreateTopUp({
    onSuccess: invoice => {
      form.reset()
      const track = invoice.data.track_id
      if (track !== null) void navigate(`/balance/invoices/${encodeURIComponent(track)}`)
      else if (invoice.payment_url !== null) window.location.assign(invoice.payment_url)
    },
    onError: err => server.handle(err),
  })
  const userId = session.data?.user.id
  const submit = form.handleSubmit(values => {
    if (userId === undefined) return
    server.clear()
    const body = {
      user_id: userId,
      amount: values.amount,
      ...(values.pay_currency === undefined ? {} : { pay_currency: values.pay_currency }),
    } satisfies BodyOf<'/API/invoice', 'post'>
    topUp.mutate(body)
  })
  const errors = form.formState.errors
  return (
    <form noValidate onSubmit={e => void submit(e)} aria-describedby="top-up-intro">
      <p id="top-up-intro">{c.intro}</p>
      <TextInput
        label={c.amount}
        hint={c.amountHint}
        inputMode="decimal"
        autoComplete="off"
        required
        error={errors.amount?.message}
        {...form.register('amount')}
      />
      <TextInput
        label={c.coin}
        hint={c.coinHint}
        optional
        autoComplete="off"
        autoCapitalize="characters"
        error={errors.pay_currency?.message}
        {...form.register('pay_currency')}
      />
      {server.formError !== null && <ErrorAlert error={server.formError} title={c.failed} />}
      <p className="actions">
        <Button type="submit" pending={topUp.isPending} pendingLabel={c.creating} disabled={userId === undefined}>
          {c.submit}
        </Button>
      </p>
    </form>
  )
}
