import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { orderVpsSchema } from '../../src/features/orders/order-vps.schema.ts'
import { extendSchema } from '../../src/features/servers/extend.schema.ts'
import { changePlanSchema } from '../../src/features/servers/change-plan.schema.ts'
import { addonSchema } from '../../src/features/servers/addon.schema.ts'
import { isDomainName, pleskOrderSchema } from '../../src/features/plesk/plesk-order.schema.ts'
import { pleskRenewSchema } from '../../src/features/plesk/plesk-renew.schema.ts'
import { pleskClientSchema } from '../../src/features/plesk/plesk-client.schema.ts'
import { topUpCents, topUpSchema } from '../../src/features/balance/top-up.schema.ts'
import { webhookSchema } from '../../src/features/notifications/webhook.schema.ts'
import { mailPreferencesSchema } from '../../src/features/notifications/mail-preferences.schema.ts'
import { t } from '../../src/lib/i18n/index.ts'

const m = t.portal.forms
/** The messages of a failed parse, by field path. */
function errors(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  assert.equal(result.success, false)
  return Object.fromEntries(result.error!.issues.map(i => [i.path.join('.'), i.message]))
}

describe('order a VPS', () => {
  it('needs plan, image and location; an empty name is left out', () => {
    const ok = orderVpsSchema.parse({ plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: '  ' })
    assert.deepEqual(ok, { plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: undefined })
    assert.deepEqual(
      errors(orderVpsSchema.safeParse({ plan_id: '', os_image_id: '', location: '', name_server: '' })),
      {
        plan_id: m.planRequired,
        os_image_id: m.osImageRequired,
        location: m.locationRequired,
      },
    )
    assert.deepEqual(
      errors(orderVpsSchema.safeParse({ plan_id: '5', os_image_id: '13', location: 'X', name_server: 'a'.repeat(64) })),
      { name_server: m.serverNameTooLong },
    )
  })
})

describe('server orders', () => {
  it('extension hours: a whole number from 1 to 8760, kept as the typed digits', () => {
    assert.deepEqual(extendSchema.parse({ hours: ' 24 ' }), { hours: '24' })
    assert.deepEqual(extendSchema.parse({ hours: '8760' }), { hours: '8760' })
    for (const [hours, message] of [
      ['0', m.hoursRange],
      ['8761', m.hoursRange],
      ['1.5', m.hoursWhole],
      ['-3', m.hoursWhole],
      ['1e3', m.hoursWhole],
      ['', m.hoursWhole],
      ['99999', m.hoursWhole],
    ] as const) {
      assert.deepEqual(errors(extendSchema.safeParse({ hours })), { hours: message }, hours)
    }
  })
  it('change of plan and addon need a choice', () => {
    assert.deepEqual(errors(changePlanSchema.safeParse({ plan_id: '' })), { plan_id: m.planRequired })
    assert.deepEqual(errors(addonSchema.safeParse({ addon_id: '' })), { addon_id: m.addonRequired })
    assert.deepEqual(addonSchema.parse({ addon_id: 'addon1' }), { addon_id: 'addon1' })
  })
})

describe('Plesk', () => {
  const order = {
    client_id: 'c1',
    plan_id: 'p1',
    domain_name: 'Example.COM.',
    ftp_login: 'site1',
    ftp_password: 'Secret123',
    subscription_duration: '2',
  }
  it('order: normalises the domain and applies the FTP rules of the API', () => {
    assert.deepEqual(pleskOrderSchema.parse(order), { ...order, domain_name: 'example.com' })
    assert.deepEqual(
      errors(
        pleskOrderSchema.safeParse({
          ...order,
          domain_name: 'localhost',
          ftp_login: '1abc',
          ftp_password: 'short1',
          subscription_duration: '4',
        }),
      ),
      {
        domain_name: m.domainInvalid,
        ftp_login: m.ftpLoginInvalid,
        ftp_password: m.passwordWeak,
        subscription_duration: m.monthsChoice,
      },
    )
    assert.deepEqual(errors(pleskOrderSchema.safeParse({ ...order, ftp_password: 'xSITE1xyz9' })), {
      ftp_password: m.passwordContainsLogin,
    })
  })
  it('domain names', () => {
    for (const d of ['example.com', 'a.b.example.co', 'xn--bcher-kva.example', 'EXAMPLE.net.']) {
      assert.equal(isDomainName(d), true, d)
    }
    for (const d of ['example', '-a.com', 'a-.com', 'a..com', 'example.c0m', `${'a'.repeat(64)}.com`, 'ex ample.com']) {
      assert.equal(isDomainName(d), false, d)
    }
  })
  it('renewal: 1 to 36 months; no new plan means the field is left out', () => {
    assert.deepEqual(pleskRenewSchema.parse({ months: '12', new_plan_id: '' }), {
      months: '12',
      new_plan_id: undefined,
    })
    assert.deepEqual(pleskRenewSchema.parse({ months: '1', new_plan_id: 'p2' }), { months: '1', new_plan_id: 'p2' })
    assert.deepEqual(errors(pleskRenewSchema.safeParse({ months: '37', new_plan_id: '' })), { months: m.monthsRange })
    assert.deepEqual(errors(pleskRenewSchema.safeParse({ months: 'x', new_plan_id: '' })), { months: m.monthsWhole })
  })
  it('client: the API rules for login, e-mail, password and text', () => {
    const client = { name: ' Ada ', login: 'ada', email: 'ada@example.com', password: 'Lovelace1', company: '' }
    assert.deepEqual(pleskClientSchema.parse(client), { ...client, name: 'Ada', company: undefined })
    assert.deepEqual(
      errors(
        pleskClientSchema.safeParse({ name: '', login: 'Ad', email: 'ada@', password: 'abcdefgh', company: 'x\u0007' }),
      ),
      {
        name: m.nameRequired,
        login: m.pleskLoginInvalid,
        email: m.emailInvalid,
        password: m.passwordWeak,
        company: m.textInvalid,
      },
    )
    assert.deepEqual(errors(pleskClientSchema.safeParse({ ...client, password: 'xxADAxx12' })), {
      password: m.passwordContainsLogin,
    })
  })
})

describe('balance top-up', () => {
  it('keeps the amount as the typed string and checks it in whole cents', () => {
    assert.deepEqual(topUpSchema.parse({ amount: ' 25.5 ', pay_currency: '' }), {
      amount: '25.5',
      pay_currency: undefined,
    })
    assert.deepEqual(topUpSchema.parse({ amount: '10000.00', pay_currency: 'usdt' }), {
      amount: '10000.00',
      pay_currency: 'USDT',
    })
    assert.equal(topUpCents('0.1'), 10n)
    assert.equal(topUpCents('9999.99'), 999_999n)
    assert.equal(topUpCents('1,5'), null)
    for (const [amount, message] of [
      ['0.99', m.amountRange],
      ['10000.01', m.amountRange],
      ['1.001', m.amountFormat],
      ['1e3', m.amountFormat],
      ['-5', m.amountFormat],
      ['25,50', m.amountFormat],
      ['', m.amountFormat],
      ['0x10', m.amountFormat],
    ] as const) {
      assert.deepEqual(errors(topUpSchema.safeParse({ amount, pay_currency: '' })), { amount: message }, amount)
    }
    assert.deepEqual(errors(topUpSchema.safeParse({ amount: '5', pay_currency: 'US DT' })), {
      pay_currency: m.coinInvalid,
    })
  })
})

describe('notifications', () => {
  it('webhook: a URL, known event types, a short description', () => {
    assert.deepEqual(
      webhookSchema.parse({ url: ' https://example.com/h ', events: ['order.created'], description: '' }),
      {
        url: 'https://example.com/h',
        events: ['order.created'],
        description: '',
      },
    )
    assert.deepEqual(errors(webhookSchema.safeParse({ url: 'ftp://x', events: [], description: '' })), {
      url: m.urlInvalid,
    })
    assert.deepEqual(errors(webhookSchema.safeParse({ url: '', events: [], description: 'd'.repeat(201) })), {
      url: m.urlRequired,
      description: m.descriptionTooLong,
    })
    assert.equal(
      webhookSchema.safeParse({ url: 'https://x.example', events: ['order.nope'], description: '' }).success,
      false,
    )
  })
  it('mail preferences: empty address is the account one, "all" sends null', () => {
    assert.deepEqual(
      mailPreferencesSchema.parse({ enabled: true, address: '', all_events: true, events: ['order.created'] }),
      { enabled: true, address: null, events: null },
    )
    assert.deepEqual(
      mailPreferencesSchema.parse({ enabled: false, address: 'me@example.com', all_events: false, events: [] }),
      { enabled: false, address: 'me@example.com', events: [] },
    )
    assert.deepEqual(
      errors(mailPreferencesSchema.safeParse({ enabled: true, address: 'nope', all_events: true, events: [] })),
      {
        address: m.emailInvalid,
      },
    )
  })
})
