import { zodResolver } from '@hookform/resolvers/zod'
import { useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { useForm, useWatch } from 'react-hook-form'
import { Link } from 'react-router'
import { locationsQuery, vpsPlansQuery } from '../../api/catalog.ts'
import type { CreateOrderBody, OrderRequest } from '../../api/orders.ts'
import { useSession } from '../../api/session.ts'
import { t } from '../../lib/i18n/index.ts'
import { Button, ErrorAlert, Page, Select, Skeleton, TextInput, useUnsavedChangesPrompt } from '../../ui/index.ts'
import { ConfirmOrder } from './ConfirmOrder.tsx'
import { planCard } from './plan-card.ts'
import { RadioCards } from './RadioCards.tsx'
import { orderVpsSchema, type OrderVpsInput, type OrderVpsValues } from './order-vps.schema.ts'

const c = t.portal.orderVps

/** Order a VPS: plan, image and location, then the quote and the confirm step. */
export function OrderVpsPage() {
  const plans = useQuery(vpsPlansQuery())
  const locations = useQuery(locationsQuery())
  const session = useSession()
  const [chosen, setChosen] = useState<OrderVpsValues | null>(null)

  const form = useForm<OrderVpsInput, unknown, OrderVpsValues>({
    resolver: zodResolver(orderVpsSchema),
    defaultValues: { plan_id: '', os_image_id: '', location: '', name_server: '' },
  })
  useUnsavedChangesPrompt(form.formState.isDirty && chosen === null)
  const planId = useWatch({ control: form.control, name: 'plan_id' })
  const plan = plans.data?.find(p => p.id === planId)
  // Images depend on the plan: one the new plan does not offer is cleared rather than sent.
  useEffect(() => {
    const image = form.getValues('os_image_id')
    if (plan !== undefined && image !== '' && !plan.osImages.some(i => i.id === image)) form.setValue('os_image_id', '')
  }, [plan, form])

  const userId = session.data?.user.id
  const request = useMemo<OrderRequest | null>(() => {
    if (chosen === null || userId === undefined) return null
    const body = {
      user_id: userId,
      plan_id: chosen.plan_id,
      os_image_id: chosen.os_image_id,
      location: chosen.location,
      ...(chosen.name_server === undefined ? {} : { name_server: chosen.name_server }),
    } satisfies CreateOrderBody
    return { endpoint: 'create_order', body }
  }, [chosen, userId])

  if (request !== null && chosen !== null) {
    const chosenPlan = plans.data?.find(p => p.id === chosen.plan_id)
    const image = chosenPlan?.osImages.find(i => i.id === chosen.os_image_id)
    return (
      <Page title={c.title} back={<Link to="/servers">{c.backToServers}</Link>}>
        <ConfirmOrder request={request} onBack={() => setChosen(null)}>
          <dl className="facts">
            <div>
              <dt>{c.plan}</dt>
              <dd>{chosenPlan?.name ?? chosen.plan_id}</dd>
            </div>
            <div>
              <dt>{c.osImage}</dt>
              <dd>{image ? c.imageName({ name: image.name, version: image.version }) : chosen.os_image_id}</dd>
            </div>
            <div>
              <dt>{c.location}</dt>
              <dd>{chosen.location}</dd>
            </div>
            {chosen.name_server !== undefined && (
              <div>
                <dt>{c.serverName}</dt>
                <dd>{chosen.name_server}</dd>
              </div>
            )}
          </dl>
        </ConfirmOrder>
      </Page>
    )
  }

  const errors = form.formState.errors
  return (
    <Page title={c.title} back={<Link to="/servers">{c.backToServers}</Link>} description={c.intro}>
      {plans.isError && <ErrorAlert error={plans.error} />}
      {locations.isError && <ErrorAlert error={locations.error} />}
      <form noValidate onSubmit={form.handleSubmit(values => setChosen(values))}>
        {plans.isPending ? (
          <Skeleton lines={3} />
        ) : (
          <RadioCards
            legend={c.plan}
            register={form.register('plan_id')}
            error={errors.plan_id?.message}
            empty={<p>{c.noPlans}</p>}
            options={(plans.data ?? []).map(planCard)}
          />
        )}
        <Select
          label={c.osImage}
          error={errors.os_image_id?.message}
          required
          disabled={plan === undefined}
          hint={plan === undefined ? c.osImageHint : undefined}
          options={[
            { value: '', label: c.choose },
            ...(plan?.osImages ?? []).map(i => ({
              value: i.id,
              label: c.imageName({ name: i.name, version: i.version }),
            })),
          ]}
          {...form.register('os_image_id')}
        />
        <Select
          label={c.location}
          error={errors.location?.message}
          required
          options={[
            { value: '', label: locations.isPending ? t.app.loading : c.choose },
            ...(locations.data?.data ?? []).map(l => ({ value: l.name, label: l.name })),
          ]}
          {...form.register('location')}
        />
        <TextInput
          label={c.serverName}
          hint={c.serverNameHint}
          optional
          autoComplete="off"
          error={errors.name_server?.message}
          {...form.register('name_server')}
        />
        <p className="actions">
          <Button type="submit" disabled={userId === undefined}>
            {c.toQuote}
          </Button>
        </p>
      </form>
    </Page>
  )
}
