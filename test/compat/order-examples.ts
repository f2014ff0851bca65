/**
 * The examples of the five documented order pages, as data: what each page's samples send
 * (method, host, path, the request body, the PHP sample's exact header list) and the page's
 * response example. Written by us from the 0xhost documentation so that the tests need nothing
 * outside the repository; the page numbers are those of docs/0xhost-compat.md. The JavaScript,
 * Python, PHP and cURL samples of a page all send the same body, keys in this order.
 *
 * Tests compare oxbill against these facts (test/http/openapi.test.ts: the OpenAPI document's
 * examples; test/http/compat-encodings.test.ts: the PHP samples on the wire), so a change here is
 * a change of what we claim the docs say: check it against the page before editing.
 */

/** Stands for the caller's API key in a header line (`'x-api-key: ' . $apiKey` in PHP). */
export const API_KEY = '{api key}'

export interface OrderExample {
  /** The page's number in docs/0xhost-compat.md. */
  page: string
  title: string
  host: '0xhost.net' | '0xhost.com'
  method: 'POST'
  path: string
  /** The request body every sample of the page sends, keys in the samples' order. */
  body: Readonly<Record<string, string>>
  /** CURLOPT_HTTPHEADER of the PHP sample, in order, with API_KEY where the key goes. */
  phpHeaders: readonly string[]
  /** The page's response example, every value as printed. */
  response: Readonly<Record<string, unknown>>
  /** The documented charge of the example on the docs' data (the response's `amount` or `order.amount`). */
  charged: number | string
}

const USER = 'user12345-6789-0123-4567-890123456789'
const SERVER = 'server12345-6789-0123-4567-890123456789'
const ADDON = 'addon12345-6789-0123-4567-890123456789'
const SUBSCRIPTION = 'sub123-4567-8901-2345-678901234567'

/** The .net server and addon pages send the key a second time as a Content-Type, before the real one. */
const NET_PHP_HEADERS = [`x-api-key: ${API_KEY}`, `Content-Type: ${API_KEY}`, 'Content-Type: application/json'] as const
const COM_PHP_HEADERS = [`x-api-key: ${API_KEY}`, 'Content-Type: application/json'] as const

const newServer: OrderExample = {
  page: '3.9',
  title: 'Payments - Server - Create New Order Server',
  host: '0xhost.net',
  method: 'POST',
  path: '/API/orders/create_order',
  body: { user_id: USER, plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: 'testServerAPI' },
  phpHeaders: NET_PHP_HEADERS,
  response: {
    success: true,
    amount: 12.99,
    balance_before: '3396.52',
    type: 'new_server',
    plan_id: '5',
    password: 'demoPassword123',
    hours_purchased: '720',
    upgrade_difference: 0,
    order_id: '52151f7fa4-c8cb-1sda1f0-8cfd-524875130254',
    server_status: {
      new_id: '851werff19c67-c8cb-134f0-8cdf-5261616516',
      id_solusvm: 493,
      name: 'testingApiKey',
      metadata: 'password=demoPassword123',
      primary_ip: '192.168.100.100',
    },
  },
  charged: 12.99,
}

const changePlan: OrderExample = {
  page: '3.11',
  title: 'Payments - Server - Create Order Scale Server Change Plan',
  host: '0xhost.net',
  method: 'POST',
  path: '/API/orders/create_order',
  body: { user_id: USER, server_id: SERVER, plan_id: '7' },
  phpHeaders: NET_PHP_HEADERS,
  response: {
    success: true,
    amount: 54.75,
    balance_before: '3383.53',
    type: 'scale_server',
    plan_id: '7',
    password: null,
    hours_purchased: '720',
    upgrade_difference: 24.76,
    order_id: 'f6ecf947-c8cb-11f0-8cdf-525400792197',
    server_status: {
      id: '8ecf771b-9d61-11f0-8cae-525400792197',
      id_solusvm: 251,
      solusvm_uuid: null,
      cpu_cores: 2,
      ram: 6442450944,
      disk: 40,
      disk_type: 'ssd',
      cpu: null,
      ramD: null,
      diskD: null,
      name: 'demo-server-001',
      auto_renew: 0,
      primary_ip: '192.168.100.101',
      extra_ips: null,
      status: 'active',
      updated_at: '2025-11-24 01:24:39',
      plan_id: 7,
      location: 'Slovenia',
      os_image_id: 6,
      rental_duration_hours: 720,
      owner_id: USER,
      created_at: '2025-09-29 20:24:39',
      expire_date: '2026-01-17 19:50:04',
      metadata: 'password=demoPassword123',
      user_id: USER,
      username: 'root',
      userIsActive: 1,
      plan_price: '29.99',
    },
  },
  charged: 54.75,
}

const addon: OrderExample = {
  page: '3.14',
  title: 'Payments - Addons - Create New Order Addon',
  host: '0xhost.net',
  method: 'POST',
  path: '/API/orders/create_order_addon',
  body: { user_id: USER, addon_id: ADDON, server_id: SERVER },
  phpHeaders: NET_PHP_HEADERS,
  response: {
    success: true,
    order: {
      id: 'order12345-6789-0123-4567-890123456789',
      status: 'completed',
      metadata: 'Array',
      amount: '3.99',
      currency: 'EUR',
    },
    addon_server: {
      id: ADDON,
      addon_id: ADDON,
      server_id: SERVER,
      user_id: USER,
      assigned_price: '3.99',
      status: 'unassigned',
    },
  },
  charged: '3.99',
}

const pleskOrder: OrderExample = {
  page: '3.25',
  title: 'Plesk - Orders - Create Order',
  host: '0xhost.com',
  method: 'POST',
  path: '/API/orders/create_order_plesk',
  body: {
    plan_id: 'plan123-4567-8901-2345-678901234567',
    client_id: 'client123-4567-8901-2345-678901234567',
    domain_name: 'example.com',
    ftp_login: 'ftp_user',
    ftp_password: 'FtpPass123',
    subscription_duration: '1',
    type_payment: 'balance',
  },
  phpHeaders: COM_PHP_HEADERS,
  response: {
    success: true,
    message: 'Plesk order created successfully',
    order: {
      id: 'order123-4567-8901-2345-678901234567',
      order_number: 'PLK_20250320_123456',
      status: 'completed',
      amount: '9.99',
      currency: 'EUR',
    },
    subscription: { id: SUBSCRIPTION, domain_name: 'example.com', status: 'active', expires_at: '2025-04-20 10:30:00' },
    balance_after: '90.01',
  },
  charged: '9.99',
}

const pleskScale: OrderExample = {
  page: '3.26',
  title: 'Plesk - Orders - Scale Order',
  host: '0xhost.com',
  method: 'POST',
  path: '/API/orders/create_order_scale_plesk',
  body: {
    subscription_id: SUBSCRIPTION,
    new_plan_id: 'plan234-5678-9012-3456-789012345678',
    months: '3',
    type_payment: 'balance',
  },
  phpHeaders: COM_PHP_HEADERS,
  response: {
    success: true,
    message: 'Subscription renewed successfully',
    order: {
      id: 'order234-5678-9012-3456-789012345678',
      order_number: 'PLK_RENEW_20250320_123456',
      status: 'completed',
      amount: '29.97',
      currency: 'EUR',
    },
    subscription: {
      id: SUBSCRIPTION,
      domain_name: 'example.com',
      new_expires_at: '2025-07-01 10:00:00',
      months_added: 3,
    },
    balance_after: '60.04',
  },
  charged: '29.97',
}

/**
 * In the docs' order, which is also the order they succeed in on the demo data: the new server,
 * its change of plan and an addon on it (.net), then a Plesk order and its renewal (.com).
 */
export const ORDER_EXAMPLES: readonly OrderExample[] = [newServer, changePlan, addon, pleskOrder, pleskScale]

/** The PHP sample's header lines for this API key. */
export const phpHeaderLines = (example: OrderExample, apiKey: string): string[] =>
  example.phpHeaders.map(line => line.replaceAll(API_KEY, apiKey))
