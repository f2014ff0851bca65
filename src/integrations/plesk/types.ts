/**
 * What oxbill needs from Plesk, through the XML API (POST /enterprise/control/agent.php).
 * `client.ts` implements it over HTTP; `fake-server.ts` answers the same packets on loopback.
 */
export interface PleskCustomerInput {
  login: string
  name: string
  email: string
  password: string
  company?: string
  /** Our Plesk client id; stored as the customer's external-id so a retry can find it. */
  externalId: string
}

export interface PleskRef {
  id: number
  guid: string
}

export interface PleskWebspace extends PleskRef {
  name: string
  /** gen_setup/gen_info status: 0 active, 16 disabled by admin, 256 expired… */
  status: number
  ownerId: number | null
  /** Expiration limit as Unix seconds, or null for never. */
  expiration: number | null
  planGuid: string | null
}

export interface CreateWebspaceInput {
  domain: string
  ownerId: number
  planName: string
  ftpLogin: string
  ftpPassword: string
}

export interface PleskApi {
  findCustomerByExternalId(externalId: string): Promise<PleskRef | null>
  createCustomer(input: PleskCustomerInput): Promise<PleskRef>
  findWebspace(domain: string): Promise<PleskWebspace | null>
  /** Creates the subscription on a service plan with FTP credentials (IP from the server's shared IPs). */
  createWebspace(input: CreateWebspaceInput): Promise<PleskRef>
  /** Looks up the plan's GUID by name, then switch-subscription. */
  switchPlan(domain: string, planName: string): Promise<void>
  /** Sets the `expiration` limit (Unix seconds); null means never. */
  setExpiration(domain: string, expiresAt: Date | null): Promise<void>
  suspend(domain: string): Promise<void>
  activate(domain: string): Promise<void>
  deleteWebspace(domain: string): Promise<void>
  /** Sets the password of the subscription's main FTP user (hosting property `ftp_password`). */
  setFtpPassword(domain: string, password: string): Promise<void>
  /**
   * Mints a one-time panel session for a customer login, bound to the browser's IP
   * (`server/create_session`), and returns the `rsession_init.php` link that opens it. The link
   * is a credential: callers must not log or store it.
   */
  createLoginUrl(input: LoginUrlInput): Promise<string>
}

export interface LoginUrlInput {
  /** The Plesk customer login (not the subscription's name). */
  login: string
  /** The customer's browser IP as oxbill sees it; Plesk refuses the link from any other. */
  userIp: string
  /** The panel path to open once logged in, e.g. /smb/web/view. */
  redirectPath: string
}
