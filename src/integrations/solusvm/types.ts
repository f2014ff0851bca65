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
  /** `boot_mode`: `disk`, or `rescue` once the rescue image boots (panel-actions.md §1.5); null when absent. */
  bootMode: SolusBootMode | null
}

export type SolusBootMode = 'disk' | 'rescue'

export interface ReinstallInput {
  /** SolusVM OS image *version* id (`os`). */
  osVersionId: number
  /** Root password of the new system (panel-actions.md §1.2: optional at SolusVM, sent by oxbill). */
  password: string
}

/** What `POST servers/{id}/reset_password` answered: a password, or a task whose owner gets an e-mail. */
export interface ResetPasswordResult {
  /** The new root password when SolusVM answers one (`data.password`); never logged. */
  password: string | null
  /** The `vm-password-change` task, when SolusVM answered one. */
  task: SolusTask | null
}

/** A VNC console: the websocket URL the browser opens and the VNC password (both bearer secrets). */
export interface SolusConsole {
  url: string
  password: string
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
  /** POST /servers/{id}/reinstall {os, password} → task (vm-reinstall). Not resent by the HTTP client. */
  reinstallServer(id: number, input: ReinstallInput): Promise<SolusTask>
  /** POST /servers/{id}/reset_password → a password or a task (panel-actions.md §1.3). Not resent. */
  resetPassword(id: number): Promise<ResetPasswordResult>
  /**
   * GET /servers/{id} (settings.vnc_password) then POST /servers/{id}/vnc_up (top-level `url`):
   * the console the browser opens (`wss://<master>/vnc?url=…` unless SolusVM gave a ws(s) URL).
   */
  openConsole(id: number): Promise<SolusConsole>
  /** PATCH /servers/{id} {boot_mode}: takes effect at the next boot (the caller restarts the VM). */
  setBootMode(id: number, mode: SolusBootMode): Promise<SolusServer>
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
