import { zodResolver } from '@hookform/resolvers/zod'
import { useQuery, type QueryClient } from '@tanstack/react-query'
import { useMemo, useState, type ReactNode } from 'react'
import { useForm } from 'react-hook-form'
import { Link, useParams } from 'react-router'
import { addonsQuery, vpsPlansQuery } from '../../api/catalog.ts'
import { isApiError } from '../../api/client.ts'
import { ordersQuery, type CreateAddonBody, type CreateOrderBody, type OrderRequest } from '../../api/orders.ts'
import { serverActionsQuery, serverKeys, serverQuery, type Server } from '../../api/servers.ts'
import { useSession } from '../../api/session.ts'
import { t } from '../../lib/i18n/index.ts'
import { Alert, Button, ErrorAlert, Money, Page, Skeleton, TextInput, useUnsavedChangesPrompt } from '../../ui/index.ts'
import { ConfirmOrder } from '../orders/ConfirmOrder.tsx'
import { planCard } from '../orders/plan-card.ts'
import { RadioCards } from '../orders/RadioCards.tsx'
import { useAdmitted } from '../orders/useAdmitted.ts'
import { addonSchema, type AddonInput, type AddonValues } from './addon.schema.ts'
import { changePlanSchema, type ChangePlanInput, type ChangePlanValues } from './change-plan.schema.ts'
import { extendSchema, type ExtendInput, type ExtendValues } from './extend.schema.ts'
import { refusalText } from './refusal-text.ts'
import { serverActions, type ServerActionName } from './server-actions.ts'

const c = t.portal.serverOrders

const refreshServer = (id: string) => (qc: QueryClient) => qc.invalidateQueries({ queryKey: serverKeys.detail(id) })

/**
 * The frame of an order on an existing server: the server (404 → the 404 page), whether its
 * state allows this order (the reason if not), then the page's own choice and the confirm step.
 */
function ServerOrderFrame({
  title,
  action,
  children,
}: {
  title: string
  action: ServerActionName
  children: (server: Server, userId: string) => ReactNode
}) {
  const { serverId = '' } = useParams()
  const server = useQuery(serverQuery(serverId))
  const actions = useQuery({ ...serverActionsQuery(serverId), enabled: server.isSuccess })
  const orders = useQuery(ordersQuery({ page: 1, perPage: 50 }))
  const session = useSession()
  const verdict = server.data
    ? serverActions(server.data, { actions: actions.data ?? [], orders: orders.data?.data ?? [], now: new Date() })[
        action
      ]
    : null
  // Once the customer could start, the page stays on the flow even when the order changes the state.
  const admitted = useAdmitted(verdict?.allowed === true && orders.isSuccess)
  if (server.isError && isApiError(server.error) && server.error.status === 404) throw server.error
  const back = (
    <Link to={`/servers/${encodeURIComponent(serverId)}`}>{c.backToServer({ name: server.data?.name ?? '' })}</Link>
  )
  if (server.isPending || session.isPending) {
    return (
      <Page title={title} back={back}>
        <Skeleton lines={5} />
      </Page>
    )
  }
  if (server.isError) {
    return (
      <Page title={title} back={back}>
        <ErrorAlert error={server.error} />
      </Page>
    )
  }
  const reason = verdict === null ? null : refusalText(verdict)
  const userId = session.data?.user.id
  return (
    <Page title={title} back={back} description={c.forServer({ name: server.data.name })}>
      {!admitted && reason !== null ? (
        <Alert tone="info" title={c.notNow}>
          <p>{reason}</p>
        </Alert>
      ) : userId === undefined ? (
        <Skeleton lines={3} />
      ) : (
        children(server.data, userId)
      )}
    </Page>
  )
}

export function ExtendServerPage() {
  return (
    <ServerOrderFrame title={c.extendTitle} action="extend">
      {(server, userId) => <ExtendFlow server={server} userId={userId} />}
    </ServerOrderFrame>
  )
}

function ExtendFlow({ server, userId }: { server: Server; userId: string }) {
  const [chosen, setChosen] = useState<ExtendValues | null>(null)
  const form = useForm<ExtendInput, unknown, ExtendValues>({
    resolver: zodResolver(extendSchema),
    defaultValues: { hours: '720' },
  })
  useUnsavedChangesPrompt(form.formState.isDirty && chosen === null)
  const request = useMemo<OrderRequest | null>(
    () =>
      chosen === null
        ? null
        : {
            endpoint: 'create_order',
            body: { user_id: userId, server_id: server.id, hours: chosen.hours } satisfies CreateOrderBody,
          },
    [chosen, server.id, userId],
  )
  if (request !== null && chosen !== null) {
    return (
      <ConfirmOrder
        request={request}
        serviceId={server.id}
        invalidate={refreshServer(server.id)}
        onBack={() => setChosen(null)}
      >
        <p>{c.extendSummary({ hours: chosen.hours })}</p>
      </ConfirmOrder>
    )
  }
  return (
    <form noValidate onSubmit={form.handleSubmit(setChosen)}>
      <TextInput
        label={c.hours}
        hint={c.hoursHint}
        inputMode="numeric"
        autoComplete="off"
        required
        error={form.formState.errors.hours?.message}
        {...form.register('hours')}
      />
      <p className="actions">
        <Button type="submit">{c.toQuote}</Button>
      </p>
    </form>
  )
}

export function ChangePlanPage() {
  return (
    <ServerOrderFrame title={c.planTitle} action="changePlan">
      {(server, userId) => <ChangePlanFlow server={server} userId={userId} />}
    </ServerOrderFrame>
  )
}

function ChangePlanFlow({ server, userId }: { server: Server; userId: string }) {
  const plans = useQuery(vpsPlansQuery())
  const [chosen, setChosen] = useState<ChangePlanValues | null>(null)
  const form = useForm<ChangePlanInput, unknown, ChangePlanValues>({
    resolver: zodResolver(changePlanSchema),
    defaultValues: { plan_id: '' },
  })
  useUnsavedChangesPrompt(form.formState.isDirty && chosen === null)
  const request = useMemo<OrderRequest | null>(
    () =>
      chosen === null
        ? null
        : {
            endpoint: 'create_order',
            body: { user_id: userId, server_id: server.id, plan_id: chosen.plan_id } satisfies CreateOrderBody,
          },
    [chosen, server.id, userId],
  )
  const current = String(server.plan_id)
  if (request !== null && chosen !== null) {
    const plan = plans.data?.find(p => p.id === chosen.plan_id)
    return (
      <ConfirmOrder
        request={request}
        serviceId={server.id}
        invalidate={refreshServer(server.id)}
        onBack={() => setChosen(null)}
      >
        <p>{c.planSummary({ plan: plan?.name ?? chosen.plan_id })}</p>
      </ConfirmOrder>
    )
  }
  if (plans.isError) return <ErrorAlert error={plans.error} />
  const currentPlan = plans.data?.find(p => p.id === current)
  return (
    <form noValidate onSubmit={form.handleSubmit(setChosen)}>
      <p>
        {c.currentPlan({ plan: currentPlan?.name ?? current })} <Money value={server.plan_price} />{' '}
        {t.portal.server.perTerm}
      </p>
      {plans.isPending ? (
        <Skeleton lines={3} />
      ) : (
        <RadioCards
          legend={c.newPlan}
          register={form.register('plan_id')}
          error={form.formState.errors.plan_id?.message}
          empty={<p>{c.noOtherPlan}</p>}
          options={(plans.data ?? []).filter(p => p.id !== current).map(planCard)}
        />
      )}
      <p className="field-hint">{c.planHint}</p>
      <p className="actions">
        <Button type="submit">{c.toQuote}</Button>
      </p>
    </form>
  )
}

export function OrderAddonPage() {
  return (
    <ServerOrderFrame title={c.addonTitle} action="addon">
      {(server, userId) => <AddonFlow server={server} userId={userId} />}
    </ServerOrderFrame>
  )
}

function AddonFlow({ server, userId }: { server: Server; userId: string }) {
  const addons = useQuery(addonsQuery())
  const [chosen, setChosen] = useState<AddonValues | null>(null)
  const form = useForm<AddonInput, unknown, AddonValues>({
    resolver: zodResolver(addonSchema),
    defaultValues: { addon_id: '' },
  })
  const request = useMemo<OrderRequest | null>(
    () =>
      chosen === null
        ? null
        : {
            endpoint: 'create_order_addon',
            body: { user_id: userId, server_id: server.id, addon_id: chosen.addon_id } satisfies CreateAddonBody,
          },
    [chosen, server.id, userId],
  )
  if (request !== null && chosen !== null) {
    const addon = addons.data?.data.find(a => a.id === chosen.addon_id)
    return (
      <ConfirmOrder
        request={request}
        serviceId={server.id}
        invalidate={qc =>
          Promise.all([refreshServer(server.id)(qc), qc.invalidateQueries({ queryKey: serverKeys.addons(server.id) })])
        }
        onBack={() => setChosen(null)}
      >
        <p>{c.addonSummary({ addon: addon?.name ?? chosen.addon_id })}</p>
      </ConfirmOrder>
    )
  }
  if (addons.isError) return <ErrorAlert error={addons.error} />
  return (
    <form noValidate onSubmit={form.handleSubmit(setChosen)}>
      {addons.isPending ? (
        <Skeleton lines={2} />
      ) : (
        <RadioCards
          legend={c.addon}
          register={form.register('addon_id')}
          error={form.formState.errors.addon_id?.message}
          empty={<p>{c.noAddons}</p>}
          options={(addons.data?.data ?? []).map(a => ({
            value: a.id,
            title: a.name,
            price: { value: a.price, currency: a.currency, suffix: c.oneOff },
          }))}
        />
      )}
      <p className="actions">
        <Button type="submit">{c.toQuote}</Button>
      </p>
    </form>
  )
}
