import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'
import { Type } from 'typebox'
import { bool, envVar, int } from './define.ts'

/** E-mail, outbound webhooks and the notification worker (see `./schema.ts`). */
export const NOTIFY_VARS = {
  SMTP_URL: envVar({
    group: 'notify',
    field: 'mail.smtpUrl',
    type: Type.Refine(Type.String(), isSmtpUrl),
    shown: 'none (fake providers: kept in DATA_DIR/mail/)',
    must: 'be an smtp:// or smtps:// URL with a host (smtp://user:password@mail.example.com:587)',
    secret: true,
    doc: '`smtp://[user:password@]host[:port]` (STARTTLS when offered) or `smtps://…` (TLS); unset, zero-setup mode keeps every mail in `DATA_DIR/mail/` (`oxbill mail`, `/dev/mail`), and without fake providers no mail is sent',
  }),
  MAIL_FROM_NAME: envVar({
    group: 'notify',
    field: 'mail.fromName',
    // A line break would end the From header early (header injection); nodemailer encodes the rest.
    type: Type.String({ pattern: '^[^\\x00-\\x1f\\x7f]{1,100}$' }),
    default: 'oxbill',
    normalize: s => s.trim(),
    must: 'be 1 to 100 characters on one line (e.g. Example Hosting)',
    doc: "the From name of every mail, and the operator's name the templates show",
  }),
  MAIL_FROM_ADDRESS: envVar({
    group: 'notify',
    field: 'mail.fromAddress',
    type: Type.Refine(Type.String(), isMailAddress),
    default: 'noreply@oxbill.invalid',
    normalize: s => s.trim(),
    must: 'be an e-mail address (e.g. billing@example.com)',
    doc: 'the From address of every mail (its domain ends each Message-ID); required with `SMTP_URL`, the default is for the zero-setup sink only',
  }),
  MAIL_TEMPLATES_DIR: envVar({
    group: 'notify',
    field: 'mail.templatesDir',
    type: Type.String(),
    shown: 'the built-in templates',
    doc: 'a directory of mail templates (`<event type>.txt` and `.html`, partials `_<name>.txt` and `.html`) that replace the built-in ones of the same name; checked at start-up, which fails on any problem',
  }),
  MAIL_OPERATOR_ADDRESS: envVar({
    group: 'notify',
    field: 'mail.operatorAddress',
    type: Type.Refine(Type.String(), isMailAddress),
    normalize: s => s.trim(),
    must: 'be an e-mail address (e.g. ops@example.com)',
    doc: 'receives the mails that concern no customer (an operator webhook endpoint disabled); unset, none are sent',
  }),
  WEBHOOK_ALLOW_CIDRS: envVar({
    group: 'notify',
    field: 'webhooks.allowCidrs',
    type: Type.Array(Type.Refine(Type.String(), isCidr)),
    default: [],
    shown: 'none (public addresses only)',
    // A bare address is the range of that one address, so the Config field always holds CIDRs.
    normalize: s => (s.includes('/') ? s : `${s}/${isIP(s) === 6 ? 128 : 32}`),
    must: 'be comma-separated IP addresses or CIDRs (e.g. 127.0.0.1,10.1.0.0/16,fd00::/8)',
    doc: 'comma-separated CIDRs or addresses webhook URLs may reach although they are not public (loopback, a private network you vouch for); every other non-public address is refused (SSRF guard)',
  }),
  WEBHOOK_ALLOW_HTTP: envVar({
    group: 'notify',
    field: 'webhooks.allowHttp',
    type: bool,
    default: false,
    doc: 'accept `http://` webhook URLs besides `https://` (a local receiver, tests)',
  }),
  WEBHOOK_DISABLE_AFTER_HOURS: envVar({
    group: 'notify',
    field: 'webhooks.disableAfterHours',
    type: int(1, 8760),
    default: 120,
    doc: 'a webhook endpoint whose deliveries have all failed for this many hours is disabled (its owner is told by mail)',
  }),
  NOTIFY_POLL_MS: envVar({
    group: 'notify',
    field: 'notifyPollMs',
    type: int(10, 60000),
    default: 1000,
    doc: 'how often a worker looks for new events to notify and deliveries that are due',
  }),
}

function isSmtpUrl(raw: string): boolean {
  try {
    const u = new URL(raw)
    return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== ''
  } catch {
    return false
  }
}

// One address, as a From or To: a local part without spaces, brackets or quotes, and a host name.
const MAIL_ADDRESS =
  /^[^\s@<>()[\]",;:\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/

export function isMailAddress(raw: string): boolean {
  return raw.length <= 254 && MAIL_ADDRESS.test(raw)
}

/** `10.1.0.0/16`, `::1/128`: an address in canonical text (no `0x7f.1`, no zone) and a prefix in range. */
export function isCidr(entry: string): boolean {
  const [addr = '', prefix, extra] = entry.split('/')
  return (
    extra === undefined &&
    isIP(addr) !== 0 &&
    !addr.includes('%') &&
    prefix !== undefined &&
    /^\d{1,3}$/.test(prefix) &&
    ipaddr.isValidCIDR(entry)
  )
}
