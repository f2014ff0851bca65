import { zodResolver } from '@hookform/resolvers/zod'
import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { useForm } from 'react-hook-form'
import { Link, useSearchParams } from 'react-router'
import { pleskPlansQuery } from '../../api/catalog.ts'
import type { CreatePleskBody, OrderRequest } from '../../api/orders.ts'
import { invalidatePlesk, pleskClientsQuery } from '../../api/plesk.ts'
import { t } from '../../lib/i18n/index.ts'
import { Button, ErrorAlert, Page, Select, Skeleton, TextInput, useUnsavedChangesPrompt } from '../../ui/index.ts'
import { ConfirmOrder } from '../orders/ConfirmOrder.tsx'
import { RadioCards } from '../orders/RadioCards.tsx'
import { pleskOrderSchema, type PleskOrderInput, type PleskOrderValues } from './plesk-order.schema.ts'

const c = t.portal.pleskOrder

/** Order Plesk hosting: client, plan, domain, FTP account and months, then the quote and confirm. */
export function OrderPleskPage() {
  const [params] = useSearchParams()
  const clients = useQuery(pleskClientsQuery({ page: 1, perPage: 100 }))
  const plans = useQuery(pleskPlansQuery())
  const [chosen, setChosen] = useState<PleskOrderValues | null>(null)
  const form = useForm<PleskOrderInput, unknown, PleskOrderValues>({
    resolver: zodResolver(pleskOrderSchema),
    defaultValues: {
      client_id: params.get('client') ?? '',
      plan_id: '',
      domain_name: '',
      ftp_login: '',
      ftp_password: '',
      subscription_duration: '1',
    },
  })
  useUnsavedChangesPrompt(form.formState.isDirty && chosen === null)
  const request = useMemo<OrderRequest | null>(() => {
    if (chosen === null) return null
    const body = { ...chosen, type_payment: 'balance' } satisfies CreatePleskBody
    return { endpoint: 'create_order_plesk', body }
  }, [chosen])
  const back = <Link to="/plesk">{c.back}</Link>

  if (request !== null && chosen !== null) {
    const plan = plans.data?.data.find(p => p.id === chosen.plan_id)
    const client = clients.data?.data.find(x => x.id === chosen.client_id)
    return (
      <Page title={c.title} back={back}>
        <ConfirmOrder request={request} invalidate={invalidatePlesk} onBack={() => setChosen(null)}>
          <dl className="facts">
            <div>
              <dt>{c.domain}</dt>
              <dd>{chosen.domain_name}</dd>
            </div>
            <div>
              <dt>{c.plan}</dt>
              <dd>{plan?.name ?? chosen.plan_id}</dd>
            </div>
            <div>
              <dt>{c.client}</dt>
              <dd>{client?.name ?? chosen.client_id}</dd>
            </div>
            <div>
              <dt>{c.months}</dt>
              <dd>{c.monthsValue({ n: Number(chosen.subscription_duration) })}</dd>
            </div>
          </dl>
        </ConfirmOrder>
      </Page>
    )
  }

  const e = form.formState.errors
  return (
    <Page title={c.title} back={back} description={c.intro}>
      {clients.isError && <ErrorAlert error={clients.error} />}
      {plans.isError && <ErrorAlert error={plans.error} />}
      {clients.data?.data.length === 0 ? (
        <p>
          {c.noClient} <Link to="/plesk/clients/new">{c.newClient}</Link>
        </p>
      ) : (
        <form noValidate onSubmit={form.handleSubmit(setChosen)}>
          <Select
            label={c.client}
            required
            error={e.client_id?.message}
            hint={
              <>
                {c.clientHint} <Link to="/plesk/clients/new">{c.newClient}</Link>
              </>
            }
            options={[
              { value: '', label: clients.isPending ? t.app.loading : t.portal.orderVps.choose },
              ...(clients.data?.data ?? [])
                .filter(x => x.status !== 'provision_failed')
                .map(x => ({ value: x.id, label: c.clientOption({ name: x.name, login: x.login }) })),
            ]}
            {...form.register('client_id')}
          />
          {plans.isPending ? (
            <Skeleton lines={3} />
          ) : (
            <RadioCards
              legend={c.plan}
              register={form.register('plan_id')}
              error={e.plan_id?.message}
              empty={<p>{c.noPlans}</p>}
              options={(plans.data?.data ?? []).map(p => ({
                value: p.id,
                title: p.name,
                price: { value: p.price, currency: p.currency, suffix: c.perMonth },
              }))}
            />
          )}
          <TextInput
            label={c.domain}
            hint={c.domainHint}
            required
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            error={e.domain_name?.message}
            {...form.register('domain_name')}
          />
          <TextInput
            label={c.ftpLogin}
            hint={c.ftpLoginHint}
            required
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            error={e.ftp_login?.message}
            {...form.register('ftp_login')}
          />
          <TextInput
            label={c.ftpPassword}
            hint={c.ftpPasswordHint}
            type="password"
            required
            autoComplete="new-password"
            error={e.ftp_password?.message}
            {...form.register('ftp_password')}
          />
          <Select
            label={c.months}
            required
            error={e.subscription_duration?.message}
            options={(['1', '2', '3'] as const).map(m => ({ value: m, label: c.monthsValue({ n: Number(m) }) }))}
            {...form.register('subscription_duration')}
          />
          <p className="actions">
            <Button type="submit">{t.portal.orderVps.toQuote}</Button>
          </p>
        </form>
      )}
    </Page>
  )
}
