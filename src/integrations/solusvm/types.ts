/**
 * What oxbill needs from SolusVM 2 (REST, /api/v1, Bearer token). Implemented over HTTP by
 * `client.ts`; `fake-server.ts` speaks the same HTTP API on loopback for dev and tests.
 */
export type SolusServerStatus = 'processing' | 'started' | 'stopped' | 'paused' | 'unavailable' | 'not exists'
export type SolusTaskStatus = 'pending' | 'queued' | 'running' | 'done' | 'done_with_errors' | 'failed' | 'canceled'

export interface SolusServer {
  id: number
  uuid: string
  name: string
  /** oxbill writes its deterministic reference here, so a retried create can find the first one. */
  description: string
  status: SolusServerStatus
  isProcessing: boolean
  isSuspended: boolean
  /** Primary IPv4 (ip_addresses.ipv4[is_primary], else first; falls back to the older `ips` shape). */
  primaryIp: string | null
  /** Every IPv4 of the server, primary first. */
  ipv4: string[]
  planId: number | null
}

export interface SolusTask {
  id: number
  action: string
  status: SolusTaskStatus
  output: string
  progress: number
}

export interface CreateServerInput {
  /** Deterministic reference derived from our server id; stored as the SolusVM description. */
  reference: string
  /** Hostname (SolusVM `name`). */
  hostname: string
  planId: number
  locationId: number
  /** SolusVM OS image *version* id (`os`). */
  osVersionId: number
  password: string
}

export type UsageSpecification = 'cpu' | 'memory' | 'disk' | 'network'

export interface UsageSeries {
  name: string
  interval: { value: number; measurement: string }
  items: Array<Record<string, unknown>>
}

export interface SolusVmApi {
  /** POST /servers → the new server (status processing). Not retried on a lost response: look up first. */
  createServer(input: CreateServerInput): Promise<SolusServer>
  /** Finds the server whose description equals `reference`, or null. */
  findServerByReference(reference: string): Promise<SolusServer | null>
  /** GET /servers/{id}; null when SolusVM answers 404. */
  getServer(id: number): Promise<SolusServer | null>
  /** Polls GET /servers/{id} until is_processing=false; resolves when started, rejects otherwise or on timeout. */
  waitUntilStarted(id: number, timeoutMs: number): Promise<SolusServer>
  /** POST /servers/{id}/resize {plan_id, preserve_disk:true} → task. */
  resizeServer(id: number, planId: number): Promise<SolusTask>
  /** POST /servers/{id}/start → task (vm-start). */
  startServer(id: number): Promise<SolusTask>
  /** POST /servers/{id}/stop {force:true} → task (vm-stop): power off, the hard way. */
  stopServer(id: number): Promise<SolusTask>
  /** POST /servers/{id}/stop (no body) → task (vm-stop): SolusVM asks the guest to shut down. */
  shutdownServer(id: number): Promise<SolusTask>
  /** POST /servers/{id}/restart → task (vm-restart). */
  restartServer(id: number): Promise<SolusTask>
  suspendServer(id: number): Promise<SolusTask>
  resumeServer(id: number): Promise<SolusTask>
  deleteServer(id: number): Promise<SolusTask>
  getTask(id: number): Promise<SolusTask>
  /** Polls GET /tasks/{id} until finished; resolves when done, rejects (permanent) on failed/canceled. */
  waitForTask(id: number, timeoutMs: number): Promise<SolusTask>
  /** POST /servers/{id}/ips {count:1}; resolves with the server afterwards (its ipv4 list grown by one). */
  addIpv4(id: number): Promise<SolusServer>
  /**
   * DELETE /servers/{id}/ips {ids: [the IP's id]}: removes an additional IPv4 (looked up by
   * address first); the task to wait for, or a finished one when the address is already gone.
   */
  removeIpv4(id: number, ip: string): Promise<SolusTask>
  /** GET /servers/{id}/usage/{cpu|memory|disks|network}. */
  usage(id: number, specification: UsageSpecification): Promise<UsageSeries>
}
