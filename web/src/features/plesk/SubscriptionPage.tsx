import { zodResolver } from '@hookform/resolvers/zod'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { useForm } from 'react-hook-form'
import { Link, useParams } from 'react-router'
import { pleskPlansQuery } from '../../api/catalog.ts'
import type { OrderRequest, ScalePleskBody } from '../../api/orders.ts'
import { invalidatePlesk, pleskActionsQuery, subscriptionQuery, type SubscriptionDetail } from '../../api/plesk.ts'
import { t } from '../../lib/i18n/index.ts'
import {
  Alert,
  Button,
  DataTable,
  DateTime,
  DetailFallback,
  ErrorAlert,
  Money,
  Page,
  Section,
  Skeleton,
  Status,
  TextInput,
} from '../../ui/index.ts'
import { ConfirmOrder } from '../orders/ConfirmOrder.tsx'
import { orderTypeLabel } from '../orders/order-labels.ts'
import { RadioCards } from '../orders/RadioCards.tsx'
import { useAdmitted } from '../orders/useAdmitted.ts'
import { pleskRenewSchema, type PleskRenewInput, type PleskRenewValues } from './plesk-renew.schema.ts'
import { CancelDialog } from '../services/CancelDialog.tsx'
import { FtpPasswordForm, OpenPlesk, PleskActionsTable, SubscriptionAutoRenew } from './ManageSubscription.tsx'
import { manageRefusalText } from './manage-text.ts'
import { manageVerdicts, renewVerdict, TRANSIENT_SUBSCRIPTION_STATUSES } from './subscription-actions.ts'

const c = t.portal.subscription
const POLL_MS = 4000
const ACTION_POLL_MS = 2000
const m = t.portal.pleskManage
const STATUS: Record<string, string> = t.portal.serverStatus

/** One Plesk subscription: its state, its orders, and renewal or upgrade with the quote. */
export function SubscriptionPage() {
  const { subscriptionId = '' } = useParams()
  const qc = useQueryClient()
  const q = useQuery({
    ...subscriptionQuery(subscriptionId),
    refetchInterval: query => {
      const d = query.state.data
      if (!d) return false
      const busy =
        TRANSIENT_SUBSCRIPTION_STATUSES.has(d.subscription.status) ||
        d.orders.some(o => o.status === 'processing' || o.status === 'pending_payment')
      return busy ? POLL_MS : false
    },
  })
  const actions = useQuery({
    ...pleskActionsQuery(subscriptionId),
    enabled: q.isSuccess,
    refetchInterval: query =>
      query.state.data?.some(a => a.status === 'queued' || a.status === 'running') ? ACTION_POLL_MS : false,
  })
  const verdict = q.data ? renewVerdict(q.data.subscription, q.data.orders) : null
  const admitted = useAdmitted(verdict?.allowed === true)
  const back = <Link to="/plesk">{c.back}</Link>
  if (!q.isSuccess) return <DetailFallback query={q} title={c.titleLoading} back={back} lines={6} />
  const { subscription: s, orders } = q.data
  const renew = verdict ?? renewVerdict(s, orders)
  const manage = manageVerdicts(s, { actions: actions.data ?? [], orders })
  return (
    <Page title={s.domain_name} back={back} description={<Status status={s.status} />}>
      <Section title={c.overview}>
        <dl className="facts">
          <div>
            <dt>{c.status}</dt>
            <dd aria-live="polite">
              <Status status={s.status} />
            </dd>
          </div>
          <div>
            <dt>{c.plan}</dt>
            <dd>
              {s.plan_name} (<Money value={s.price} /> {c.perMonth})
            </dd>
          </div>
          <div>
            <dt>{c.client}</dt>
            <dd>{s.client_name}</dd>
          </div>
          <div>
            <dt>{c.expires}</dt>
            <dd>
              <DateTime value={s.expires_at} style="date" relative />
            </dd>
          </div>
          <div>
            <dt>{c.ftpUser}</dt>
            <dd>
              <code>{s.ftp_username}</code>
            </dd>
          </div>
          <div>
            <dt>{c.created}</dt>
            <dd>
              <DateTime value={s.created_at} />
            </dd>
          </div>
        </dl>
      </Section>
      <Section title={m.title}>
        <SubscriptionAutoRenew subscription={s} verdict={manage.autoRenew} />
        <OpenPlesk subscriptionId={s.id} verdict={manage.login} />
        <CancelDialog
          serviceId={s.id}
          title={m.cancelTitle}
          openLabel={m.cancel}
          choices={{ endOfTerm: manageRefusalText(manage.cancel), immediate: manageRefusalText(manage.cancelNow) }}
          invalidate={() => invalidatePlesk(qc)}
        />
      </Section>
      <Section title={t.portal.ftp.title}>
        <FtpPasswordForm subscriptionId={s.id} verdict={manage.ftpPassword} />
      </Section>
      <Section title={m.actions}>
        {actions.isError && <ErrorAlert error={actions.error} />}
        <PleskActionsTable actions={actions.data} loading={actions.isPending} />
      </Section>
      <Section title={c.renew}>
        {renew.allowed || admitted ? (
          <RenewFlow detail={q.data} />
        ) : renew.reason === 'orderPending' ? (
          <Alert tone="info" title={c.notNow}>
            <p>
              <Link to={`/orders/${encodeURIComponent(renew.orderId)}`}>
                {t.portal.refusals.orderPending({ number: renew.orderNumber })}
              </Link>
            </p>
          </Alert>
        ) : (
          <Alert tone="info" title={c.notNow}>
            <p>{c.notRenewable({ status: STATUS[renew.status] ?? renew.status.replaceAll('_', ' ') })}</p>
          </Alert>
        )}
      </Section>
      <Section title={c.orders}>
        <DataTable
          caption={c.orders}
          captionHidden
          rows={orders}
          rowKey={o => o.id}
          empty={c.noOrders}
          columns={[
            {
              header: c.order,
              rowHeader: true,
              cell: o => <Link to={`/orders/${encodeURIComponent(o.id)}`}>{o.order_number}</Link>,
            },
            { header: c.type, cell: o => orderTypeLabel(o.order_type) },
            { header: c.status, cell: o => <Status status={o.status} /> },
            { header: c.amount, numeric: true, cell: o => <Money value={o.amount} currency={o.currency} /> },
            { header: c.created, cell: o => <DateTime value={o.created_at} /> },
          ]}
        />
      </Section>
    </Page>
  )
}

function RenewFlow({ detail }: { detail: SubscriptionDetail }) {
  const s = detail.subscription
  const plans = useQuery(pleskPlansQuery())
  const [chosen, setChosen] = useState<PleskRenewValues | null>(null)
  const form = useForm<PleskRenewInput, unknown, PleskRenewValues>({
    resolver: zodResolver(pleskRenewSchema),
    defaultValues: { months: '1', new_plan_id: '' },
  })
  const request = useMemo<OrderRequest | null>(() => {
    if (chosen === null) return null
    const body = {
      subscription_id: s.id,
      months: chosen.months,
      ...(chosen.new_plan_id === undefined ? {} : { new_plan_id: chosen.new_plan_id }),
      type_payment: 'balance',
    } satisfies ScalePleskBody
    return { endpoint: 'create_order_scale_plesk', body }
  }, [chosen, s.id])
  if (request !== null && chosen !== null) {
    const plan = plans.data?.data.find(p => p.id === chosen.new_plan_id)
    return (
      <ConfirmOrder request={request} serviceId={s.id} invalidate={invalidatePlesk} onBack={() => setChosen(null)}>
        <p>
          {plan === undefined
            ? c.renewSummary({ months: Number(chosen.months) })
            : c.upgradeSummary({ months: Number(chosen.months), plan: plan.name })}
        </p>
      </ConfirmOrder>
    )
  }
  const e = form.formState.errors
  return (
    <form noValidate onSubmit={form.handleSubmit(setChosen)}>
      <TextInput
        label={c.months}
        hint={c.monthsHint}
        inputMode="numeric"
        required
        autoComplete="off"
        error={e.months?.message}
        {...form.register('months')}
      />
      {plans.isError ? (
        <ErrorAlert error={plans.error} />
      ) : plans.isPending ? (
        <Skeleton lines={2} />
      ) : (
        <RadioCards
          legend={c.planChoice}
          register={form.register('new_plan_id')}
          error={e.new_plan_id?.message}
          options={[
            { value: '', title: c.keepPlan({ plan: s.plan_name }) },
            ...plans.data.data
              .filter(p => p.id !== s.plan_id)
              .map(p => ({
                value: p.id,
                title: p.name,
                price: { value: p.price, currency: p.currency, suffix: c.perMonth },
              })),
          ]}
        />
      )}
      <p className="actions">
        <Button type="submit">{t.portal.orderVps.toQuote}</Button>
      </p>
    </form>
  )
}
