import { hashSecret, secretMatches, type FakePleskDump, type FakeSecret } from './persist.ts'
import { seededRandom, type SeededRandom } from '../kit/seeded-random.ts'

/**
 * In-memory data of the fake Plesk: customers, subscriptions (webspaces), service plans and the
 * server's IP. Passwords are held only to answer `verify*` checks; snapshots expose booleans.
 */

export interface FakePlanInput {
  name: string
  guid?: string
  externalId?: string
}

export interface FakePlan {
  id: number
  name: string
  guid: string
  externalId: string | null
}

export interface FakeCustomer {
  id: number
  guid: string
  login: string
  name: string
  company: string
  email: string
  externalId: string | null
  description: string
  status: number
  createdAt: string
  hasPassword: boolean
}

export interface FakeWebspace {
  id: number
  guid: string
  name: string
  ownerId: number | null
  status: number
  ipAddress: string
  planGuid: string | null
  /** Unix seconds, null for never (stored by Plesk as -1). */
  expiration: number | null
  /** Plesk marks a plan-bound subscription "locked" once its limits are customised. */
  locked: boolean
  ftpLogin: string | null
  hasFtpPassword: boolean
  createdAt: string
}

export const DEFAULT_PLANS: FakePlanInput[] = [
  { name: 'Basic', guid: '5a8b3f8e-0b1c-4c2d-9e3f-000000000001' },
  { name: 'Standard', guid: '5a8b3f8e-0b1c-4c2d-9e3f-000000000002' },
  { name: 'Pro', guid: '5a8b3f8e-0b1c-4c2d-9e3f-000000000003' },
]

export const DEFAULT_SHARED_IP = '203.0.113.10'

/** How long a `create_session` id may be used (Plesk: a few minutes; the contract says 5). */
export const SESSION_TTL_MS = 5 * 60_000

/** A one-time login session: usable once, from `ip`, until `expiresAt` (ms). Not kept in the state file. */
export interface FakeSession {
  login: string
  ip: string
  expiresAt: number
  used: boolean
}

export { seededRandom, type SeededRandom }

export class FakePleskState {
  readonly customers = new Map<number, FakeCustomer>()
  readonly webspaces = new Map<number, FakeWebspace>()
  readonly plans: FakePlan[]
  readonly sharedIp: string
  private readonly customerPasswords = new Map<number, FakeSecret>()
  private readonly ftpPasswords = new Map<number, FakeSecret>()
  readonly sessions = new Map<string, FakeSession>()
  /** Wall time in ms for session expiry; tests may replace it. */
  now: () => number = () => Date.now()
  private nextCustomerId = 2 // 1 is the administrator in Plesk
  private nextWebspaceId = 1
  private random: SeededRandom

  private readonly planInputs: FakePlanInput[]

  constructor(opts: { plans?: FakePlanInput[]; sharedIp?: string; random: SeededRandom }) {
    this.random = opts.random
    this.sharedIp = opts.sharedIp ?? DEFAULT_SHARED_IP
    this.planInputs = opts.plans ?? DEFAULT_PLANS
    this.plans = this.planInputs.map((p, i) => ({
      id: i + 1,
      name: p.name,
      guid: p.guid ?? this.guid(),
      externalId: p.externalId ?? null,
    }))
  }

  /** A v4-shaped GUID drawn from the seeded generator. */
  guid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.random() * 16).toString(16)).join('')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  }

  addCustomer(c: Omit<FakeCustomer, 'id' | 'guid' | 'createdAt' | 'hasPassword'>, password: string): FakeCustomer {
    const customer: FakeCustomer = {
      ...c,
      id: this.nextCustomerId++,
      guid: this.guid(),
      createdAt: today(),
      hasPassword: password.length > 0,
    }
    this.customers.set(customer.id, customer)
    this.customerPasswords.set(customer.id, hashSecret(password))
    return customer
  }

  addWebspace(
    w: Omit<FakeWebspace, 'id' | 'guid' | 'createdAt' | 'hasFtpPassword' | 'locked' | 'expiration'>,
    ftpPassword: string | null,
  ): FakeWebspace {
    const ws: FakeWebspace = {
      ...w,
      id: this.nextWebspaceId++,
      guid: this.guid(),
      createdAt: today(),
      hasFtpPassword: !!ftpPassword,
      locked: false,
      expiration: null,
    }
    this.webspaces.set(ws.id, ws)
    if (ftpPassword) this.ftpPasswords.set(ws.id, hashSecret(ftpPassword))
    return ws
  }

  deleteWebspace(id: number): void {
    this.webspaces.delete(id)
    this.ftpPasswords.delete(id)
  }

  /** Replaces the main FTP user's password (webspace set, hosting property ftp_password). */
  setFtpPassword(id: number, password: string): void {
    this.ftpPasswords.set(id, hashSecret(password))
    const ws = this.webspaces.get(id)
    if (ws) ws.hasFtpPassword = true
  }

  findPlan(by: 'name' | 'guid' | 'externalId' | 'id', value: string): FakePlan | undefined {
    return this.plans.find(p => String(p[by]) === value)
  }

  customerByLogin(login: string): FakeCustomer | undefined {
    return [...this.customers.values()].find(c => c.login === login)
  }

  webspaceByName(name: string): FakeWebspace | undefined {
    const wanted = name.toLowerCase()
    return [...this.webspaces.values()].find(w => w.name.toLowerCase() === wanted)
  }

  /** Whether the FTP password stored for this subscription equals `candidate`. */
  verifyFtpPassword(domain: string, candidate: string): boolean {
    const ws = this.webspaceByName(domain)
    return ws !== undefined && secretMatches(this.ftpPasswords.get(ws.id), candidate)
  }

  /** Whether the password stored for this customer login equals `candidate`. */
  verifyCustomerPassword(login: string, candidate: string): boolean {
    const c = this.customerByLogin(login)
    return c !== undefined && secretMatches(this.customerPasswords.get(c.id), candidate)
  }

  /** The state as plain data for the state file: passwords as hashes only. */
  dump(): FakePleskDump {
    const hashes = (m: Map<number, FakeSecret>): Record<string, string> =>
      Object.fromEntries([...m].map(([id, s]) => [String(id), s.hash]))
    return {
      customers: [...this.customers.values()],
      webspaces: [...this.webspaces.values()],
      plans: this.plans,
      customerPasswords: hashes(this.customerPasswords),
      ftpPasswords: hashes(this.ftpPasswords),
      counters: { customer: this.nextCustomerId, webspace: this.nextWebspaceId },
      random: this.random.state(),
    }
  }

  /**
   * Replaces the state with a dump. Stored plans keep their ids and GUIDs, which subscriptions refer
   * to; configured plans the file lacks (by name and GUID) are appended.
   */
  restore(d: FakePleskDump): void {
    this.random = seededRandom(d.random)
    this.customers.clear()
    this.webspaces.clear()
    for (const c of d.customers) this.customers.set(c.id, c)
    for (const w of d.webspaces) this.webspaces.set(w.id, w)
    const secrets = (m: Map<number, FakeSecret>, from: Record<string, string>): void => {
      m.clear()
      for (const [id, hash] of Object.entries(from)) m.set(Number(id), { plain: null, hash })
    }
    secrets(this.customerPasswords, d.customerPasswords)
    secrets(this.ftpPasswords, d.ftpPasswords)
    const plans = [...d.plans]
    for (const p of this.planInputs) {
      if (plans.some(x => x.name === p.name || x.guid === p.guid)) continue
      // A generated GUID comes from the restored generator, so it cannot repeat a stored one.
      plans.push({ id: above(0, plans), name: p.name, guid: p.guid ?? this.guid(), externalId: p.externalId ?? null })
    }
    this.plans.splice(0, this.plans.length, ...plans)
    // Never below what the data implies, so even a hand-edited file cannot make ids collide.
    this.nextCustomerId = above(d.counters.customer, d.customers)
    this.nextWebspaceId = above(d.counters.webspace, d.webspaces)
  }
}

/** The next free id: at least `floor`, above every id in `items`. */
function above(floor: number, items: ReadonlyArray<{ id: number }>): number {
  return items.reduce((next, x) => Math.max(next, x.id + 1), floor)
}

function today(): string {
  return new Date().toISOString().slice(0, 10)
}
