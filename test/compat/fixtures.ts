/**
 * The documented answers of the 0xhost pages oxbill implements (docs/0xhost-compat.md), written by
 * us from the 0xhost documentation and reduced to their JSON types (the five order pages' whole
 * examples are in order-examples.ts): a string stands for "a string", a number for "a number", a
 * boolean for "a boolean", `null` for "documented as null: any type", an array for "an array
 * whose items look like its first item".
 * Extra keys in an answer are fine; a documented key must be there with its documented type.
 */
const S = ''
const N = 0
const B = true

/** The full server row of the extension and change-of-plan answers (docs/0xhost-compat.md 3.10, 3.11). */
const serverRow = {
  id: S,
  id_solusvm: N,
  solusvm_uuid: null,
  cpu_cores: N,
  ram: N,
  disk: N,
  disk_type: S,
  cpu: null,
  ramD: null,
  diskD: null,
  name: S,
  auto_renew: N,
  primary_ip: S,
  extra_ips: null,
  status: S,
  updated_at: S,
  plan_id: N,
  location: S,
  os_image_id: N,
  rental_duration_hours: N,
  owner_id: S,
  created_at: S,
  expire_date: S,
  metadata: S,
}

const orderRow = {
  id: S,
  user_id: S,
  server_id: null,
  service_id: S,
  order_number: S,
  order_type: S,
  status: S,
  name_server: null,
  plan_id: null,
  os_image_id: null,
  versions: null,
  location: null,
  rental_duration_hours: N,
  amount: S,
  currency: S,
  metadata: null,
  domain_name: null,
  domain_registration_term: null,
  domain_suffix: null,
  description: S,
  created_at: S,
  updated_at: S,
  username: S,
}

const invoice = {
  success: B,
  transaction: { id: S, success: B },
  message: S,
  data: {
    track_id: S,
    amount: N,
    currency: S,
    pay_amount: N,
    pay_currency: S,
    network: S,
    address: S,
    qr_code: S,
    lifetime: N,
    expired_at: N,
    order_id: S,
    date: N,
  },
}

export const DOCUMENTED = {
  info_user: {
    success: B,
    user: {
      id: S,
      username: S,
      email: S,
      userTelegram: null,
      balance: S,
      createdAt: S,
      updatedAt: S,
      isActive: N,
      superuser: N,
      notification_days_before: N,
      notification_preference: S,
      email_verified: B,
    },
  },
  list_plan: {
    success: B,
    data: [
      {
        id: S,
        name: S,
        params: S,
        external_id: N,
        price: N,
        currency: S,
        available_os_image_versions: S,
        created_at: S,
        updated_at: S,
      },
    ],
  },
  usage_server: {
    success_update_db: B,
    data: {
      name: S,
      interval: { value: N, measurement: S },
      items: [{ load_average: N, cpu_time: N, cpu_count: N, time: S }],
    },
  },
  auto_renew: { success: B, message: S },
  list_addon_server: {
    success: B,
    data: [
      {
        id: S,
        addon_id: S,
        server_id: S,
        status: S,
        assigned_price: S,
        assigned_value: S,
        created_at: S,
        updated_at: S,
        addon_name: S,
      },
    ],
  },
  list_order: { success: B, data: [orderRow] },
  new_server: {
    success: B,
    amount: N,
    balance_before: S,
    type: S,
    plan_id: S,
    password: S,
    hours_purchased: S,
    upgrade_difference: N,
    order_id: S,
    server_status: { new_id: S, id_solusvm: N, name: S, metadata: S, primary_ip: S },
  },
  extend_hours: {
    success: B,
    amount: N,
    balance_before: S,
    type: S,
    plan_id: N,
    password: null,
    hours_purchased: S,
    upgrade_difference: N,
    order_id: S,
    server_status: serverRow,
  },
  change_plan: {
    success: B,
    amount: N,
    balance_before: S,
    type: S,
    plan_id: S,
    password: null,
    hours_purchased: S,
    upgrade_difference: N,
    order_id: S,
    server_status: serverRow,
  },
  addon: {
    success: B,
    order: { id: S, status: S, metadata: S, amount: S, currency: S },
    addon_server: { id: S, addon_id: S, server_id: S, user_id: S, assigned_price: S, status: S },
  },
  invoice,
  transaction: {
    success: B,
    data: {
      id: S,
      track_id: S,
      status: S,
      type: S,
      amount: S,
      currency: S,
      pay_amount: S,
      pay_currency: S,
      order_id: S,
      date: N,
      tx_hash: null,
      user_id: S,
      network: S,
      address: S,
      description: S,
      ip_address: S,
      created_at: S,
      updated_at: S,
      expired_at: N,
      qr_code: S,
      type_order: null,
      order_type: null,
    },
  },
  list_transactions: {
    success: B,
    data: [
      {
        id: S,
        user_id: S,
        order_id: S,
        track_id: S,
        status: S,
        type: S,
        amount: S,
        currency: S,
        pay_amount: S,
        pay_currency: S,
        date: N,
        tx_hash: null,
        network: S,
        address: S,
        description: S,
        ip_address: null,
        created_at: S,
        updated_at: S,
        expired_at: N,
      },
    ],
  },
  plesk_client: {
    success: B,
    message: S,
    data: { id: S, plesk_client_id: S, name: S, login: S, email: S, company: S },
  },
  plesk_order: {
    success: B,
    message: S,
    order: { id: S, order_number: S, status: S, amount: S, currency: S },
    subscription: { id: S, domain_name: S, status: S, expires_at: S },
    balance_after: S,
  },
  plesk_scale: {
    success: B,
    message: S,
    order: { id: S, order_number: S, status: S, amount: S, currency: S },
    subscription: { id: S, domain_name: S, new_expires_at: S, months_added: N },
    balance_after: S,
  },
  subscription_detail: {
    success: B,
    subscription: {
      id: S,
      domain_name: S,
      status: S,
      price: S,
      plan_name: S,
      client_id: S,
      client_name: S,
      created_at: S,
      expires_at: S,
      auto_renew: B,
      ftp_username: S,
    },
    orders: [{ id: S, order_number: S, amount: S, status: S, created_at: S }],
  },
} as const

/** Where `actual` departs from the documented shape `doc`: a list of "path: why". */
export function typeMismatches(doc: unknown, actual: unknown, path = '$'): string[] {
  if (doc === null) return []
  if (Array.isArray(doc)) {
    if (!Array.isArray(actual)) return [`${path}: documented an array, got ${describe(actual)}`]
    return doc.length === 0 ? [] : actual.flatMap((item, i) => typeMismatches(doc[0], item, `${path}[${i}]`))
  }
  if (typeof doc === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${path}: documented an object, got ${describe(actual)}`]
    }
    return Object.entries(doc).flatMap(([k, v]) =>
      k in actual
        ? typeMismatches(v, (actual as Record<string, unknown>)[k], `${path}.${k}`)
        : [`${path}.${k}: documented, missing`],
    )
  }
  return typeof actual === typeof doc ? [] : [`${path}: documented a ${typeof doc}, got ${describe(actual)}`]
}

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v} (${JSON.stringify(v)?.slice(0, 40)})`
