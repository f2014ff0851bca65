/**
 * Renders the e-mail about one domain event from Mustache templates: `<type>.txt` (its first line
 * `Subject: …`, then the plain-text body) and `<type>.html`, with the partials `_<name>.txt` and
 * `_<name>.html` (`{{> footer}}`). `<type>.html` holds only the mail's content: it is rendered as
 * the partial `{{> content}}` of `_layout.html`, the HTML document around it (head, title, the
 * styled container), which has to use `{{> content}}` exactly once, outside any section. A
 * `<type>.html` that is a whole document itself (it has an `<html` tag; an override written before
 * the layout existed) is rendered on its own, without the layout. The built-in files are in
 * ./templates/; an operator's directory (MAIL_TEMPLATES_DIR) with the same file names takes
 * precedence file by file, `_layout.html` included.
 *
 * Values are HTML-escaped in the .html (`{{x}}`; Mustache's default) and inserted as they are in
 * the .txt and the subject. Rendering is strict: every `{{name}}` must name a value of the context
 * (a typo in an override is an error, not an empty gap), a value shown as text must be a string or
 * a number (a nullable value goes inside `{{#name}}…{{/name}}`), and a section must name something
 * too. Changing the delimiters (`{{=<% %>=}}`) is refused.
 *
 * The context is the event's payload (catalog.ts) at the top level — `{{service.name}}`,
 * `{{order.number}}` — plus `event` (id, type, occurred_at), `customer` (email), `operator` (name,
 * address, url), `subject` (in the bodies) and a few values derived for the reader:
 * `service.label` ("server web1.example.com"), `service.expires_on` (YYYY-MM-DD or null),
 * `order.type_label`, `order.payment_method_label`, `order.pays_by_crypto`, `occurred_on`; for
 * service.expiring `days_left_text` ("3 days"), `balance_covers_renewal` and `top_up_needed`
 * (EUR or null, also in balance.low); for service.cancelled `effective_now`/`effective_end_of_term`;
 * for webhook_endpoint.disabled `failing_since_text` ("2026-11-28 09:30 UTC").
 * Payloads hold no secret (catalog.ts), so neither does a mail.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Mustache from 'mustache'
import { AppError } from '../../lib/errors.ts'
import { formatAmount, parseAmount } from '../../lib/money.ts'
import { EVENT_TYPES, type EventPayloads, type EventType, type OrderRef, type ServiceRef } from '../events/catalog.ts'

export interface MailOperator {
  /** MAIL_FROM_NAME, e.g. "Example Hosting". */
  name: string
  /** The operator's contact address (MAIL_FROM_ADDRESS unless a separate one is configured). */
  address: string
  /** The customer panel or website, e.g. https://panel.example.net; optional. */
  url?: string
}

export interface MailContext<T extends EventType> {
  event: { id: string; occurred_at: string }
  /** The recipient: the address this mail goes to. */
  customer: { email: string }
  data: EventPayloads[T]
}

export interface RenderMailOptions {
  /** The operator's template directory (MAIL_TEMPLATES_DIR); its files replace the built-in ones of the same name. */
  overrideDir?: string
  operator: MailOperator
}

export interface RenderedMail {
  subject: string
  text: string
  html: string
}

/** A template that cannot be rendered: not retryable, the operator has to fix the file. */
export class MailTemplateError extends AppError {
  constructor(message: string, details: Record<string, unknown>) {
    super('internal_error', message, { retryable: false, details })
    this.name = 'MailTemplateError'
  }
}

export const BUILTIN_TEMPLATES_DIR = fileURLToPath(new URL('./templates/', import.meta.url))

const SUBJECT_PREFIX = 'Subject:'
const MAX_PARTIAL_DEPTH = 5
const LAYOUT = '_layout.html'
/** The partial name under which `_layout.html` includes the mail's `<type>.html`. */
const CONTENT_PARTIAL = 'content'

type Ext = 'txt' | 'html'
/** Where a template's partials come from. */
interface Files {
  ext: Ext
  overrideDir: string | undefined
  /** The file `{{> content}}` stands for (in `_layout.html` only): the mail's `<type>.html`. */
  content?: string
}
interface Source {
  name: string
  text: string
  /** Where it came from, for error messages. */
  path: string
}

const builtinCache = new Map<string, string>()

function readTemplate(name: string, overrideDir: string | undefined): Source {
  if (overrideDir !== undefined) {
    const path = join(overrideDir, name)
    try {
      return { name, text: readFileSync(path, 'utf8'), path }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new MailTemplateError(`mail template ${path} cannot be read: ${(err as Error).message}`, {
          template: name,
          file: path,
        })
      }
    }
  }
  const path = join(BUILTIN_TEMPLATES_DIR, name)
  let text = builtinCache.get(name)
  if (text === undefined) {
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      throw new MailTemplateError(`there is no mail template ${name}`, { template: name })
    }
    builtinCache.set(name, text)
  }
  return { name, text, path }
}

function assertDir(dir: string): void {
  let ok = false
  try {
    ok = statSync(dir).isDirectory()
  } catch {
    ok = false
  }
  if (!ok) throw new MailTemplateError(`the mail template directory ${dir} does not exist`, { file: dir })
}

const lineOf = (text: string, pos: number): number => text.slice(0, pos).split('\n').length

type Token = [string, string, number, number, Token[]?, number?]

function parse(src: Source): Token[] {
  try {
    return Mustache.parse(src.text) as Token[]
  } catch (err) {
    throw new MailTemplateError(`mail template ${src.path} does not parse: ${(err as Error).message}`, {
      template: src.name,
      file: src.path,
    })
  }
}

/**
 * Walks the template as Mustache would render it against `ctx` and refuses a name that resolves
 * to nothing, a value shown as text that is not text, delimiter changes and unknown partials.
 */
function checkTokens(tokens: Token[], ctx: Mustache.Context, src: Source, files: Files, depth: number): void {
  const fail = (token: Token, what: string): never => {
    throw new MailTemplateError(`mail template ${src.path}, line ${lineOf(src.text, token[2])}: ${what}`, {
      template: src.name,
      file: src.path,
      placeholder: token[1],
    })
  }
  for (const token of tokens) {
    const [type, name] = token
    switch (type) {
      case 'text':
      case '!':
        break
      case '=':
        fail(token, 'changing the delimiters is not supported')
        break
      case '>': {
        if (depth >= MAX_PARTIAL_DEPTH) fail(token, `partials nest deeper than ${MAX_PARTIAL_DEPTH}`)
        if (name.trim() === CONTENT_PARTIAL && (src.name !== LAYOUT || files.content === undefined)) {
          fail(token, `{{> ${CONTENT_PARTIAL}}} belongs in ${LAYOUT} only`)
        }
        const partialName = partialFile(name, files)
        if (!/^_[a-z0-9_-]+\.(txt|html)$/.test(partialName) && partialName !== files.content) {
          fail(token, `{{> ${name}}} is not a partial name`)
        }
        const partial = readTemplate(partialName, files.overrideDir)
        checkTokens(parse(partial), ctx, partial, files, depth + 1)
        break
      }
      case 'name':
      case '&': {
        const value: unknown = ctx.lookup(name)
        if (value === undefined) fail(token, `{{${name}}} names nothing in this mail's context`)
        else if (value === null) fail(token, `{{${name}}} is empty here; show it inside {{#${name}}}…{{/${name}}}`)
        else if (typeof value !== 'string' && typeof value !== 'number') {
          fail(token, `{{${name}}} is ${Array.isArray(value) ? 'a list' : typeof value}, not text; use it as a section`)
        }
        break
      }
      case '#': {
        const value: unknown = ctx.lookup(name)
        if (value === undefined) fail(token, `{{#${name}}} names nothing in this mail's context`)
        const children = token[4] ?? []
        if (Array.isArray(value)) {
          for (const item of value) checkTokens(children, ctx.push(item), src, files, depth)
        } else if (typeof value === 'object' && value !== null) {
          checkTokens(children, ctx.push(value), src, files, depth)
        } else if (value === true) checkTokens(children, ctx, src, files, depth)
        else if (value) checkTokens(children, ctx.push(value), src, files, depth)
        break
      }
      case '^': {
        const value: unknown = ctx.lookup(name)
        if (value === undefined) fail(token, `{{^${name}}} names nothing in this mail's context`)
        if (!value || (Array.isArray(value) && value.length === 0)) {
          checkTokens(token[4] ?? [], ctx, src, files, depth)
        }
        break
      }
      default:
        fail(token, `unsupported tag {{${type}${name}}}`)
    }
  }
}

/** The file a `{{> name}}` reads: `_<name>.<ext>`, or the mail's content for the layout's `{{> content}}`. */
const partialFile = (name: string, files: Files): string =>
  name.trim() === CONTENT_PARTIAL && files.content !== undefined ? files.content : `_${name.trim()}.${files.ext}`

const isContentTag = (token: Token): boolean => token[0] === '>' && token[1].trim() === CONTENT_PARTIAL
const countContentTags = (tokens: Token[]): number =>
  tokens.reduce(
    (n, t) => n + (isContentTag(t) ? 1 : 0) + (t[0] === '#' || t[0] === '^' ? countContentTags(t[4] ?? []) : 0),
    0,
  )

function render(src: Source, view: object, files: Files): string {
  const tokens = parse(src)
  if (src.name === LAYOUT && (countContentTags(tokens) !== 1 || tokens.filter(isContentTag).length !== 1)) {
    throw new MailTemplateError(
      `mail template ${src.path} must include the mail's content exactly once, as {{> ${CONTENT_PARTIAL}}} outside any section`,
      { template: src.name, file: src.path },
    )
  }
  checkTokens(tokens, new Mustache.Context(view), src, files, 0)
  const partials = (name: string): string => readTemplate(partialFile(name, files), files.overrideDir).text
  return Mustache.render(src.text, view, partials, { escape: files.ext === 'txt' ? String : escapeHtml })
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** The five characters that matter in HTML text and quoted attributes (Mustache's default also escapes `/`). */
const escapeHtml = (v: unknown): string => String(v).replace(/[&<>"']/g, c => HTML_ESCAPES[c] ?? c)

const KIND_LABEL: Record<ServiceRef['kind'], string> = {
  server: 'server',
  server_addon: 'add-on',
  plesk_subscription: 'hosting subscription',
}

const ORDER_TYPE_LABEL: Record<string, string> = {
  new_server: 'a new server',
  renew_server: 'a server renewal',
  scale_server: 'a server upgrade',
  addon: 'an add-on',
  plesk: 'Plesk hosting',
  plesk_renew: 'a Plesk hosting renewal',
}

const dateOf = (iso: string | null): string | null => (iso === null ? null : iso.slice(0, 10))
/** `2026-11-28T09:30:00.000Z` → `2026-11-28 09:30 UTC`. */
const timeOf = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`

/** What is missing from `balance` to reach `needed` (decimal strings), or null when nothing is. */
function shortfall(balance: string, needed: string): string | null {
  const have = parseAmount(balance)
  const need = parseAmount(needed)
  return have === null || need === null || have >= need ? null : formatAmount(need - have)
}

function serviceView(service: ServiceRef): Record<string, unknown> {
  return { ...service, label: `${KIND_LABEL[service.kind]} ${service.name}`, expires_on: dateOf(service.expires_at) }
}

function orderView(order: OrderRef): Record<string, unknown> {
  return {
    ...order,
    type_label: ORDER_TYPE_LABEL[order.type] ?? order.type,
    payment_method_label: order.payment_method === 'crypto' ? 'cryptocurrency invoice' : 'account balance',
    pays_by_crypto: order.payment_method === 'crypto',
  }
}

/** The payload plus what a template shows that the payload holds only in raw form. */
function buildView<T extends EventType>(
  type: T,
  context: MailContext<T>,
  operator: MailOperator,
): Record<string, unknown> {
  const data: Record<string, unknown> = { ...(context.data as Record<string, unknown>) }
  if (typeof data.service === 'object' && data.service !== null) data.service = serviceView(data.service as ServiceRef)
  if (typeof data.order === 'object' && data.order !== null) data.order = orderView(data.order as OrderRef)
  if (type === 'service.expiring') {
    const d = context.data as EventPayloads['service.expiring']
    data.days_left_text = d.days_left === 1 ? '1 day' : `${d.days_left} days`
    data.top_up_needed = shortfall(d.balance, d.renewal_price)
    data.balance_covers_renewal = data.top_up_needed === null
  }
  if (type === 'balance.low') {
    const d = context.data as EventPayloads['balance.low']
    data.top_up_needed = shortfall(d.balance, d.needed)
  }
  if (type === 'service.cancelled') {
    const d = context.data as EventPayloads['service.cancelled']
    data.effective_now = d.effective === 'now'
    data.effective_end_of_term = d.effective === 'end_of_term'
  }
  if (type === 'webhook_endpoint.disabled') {
    data.failing_since_text = timeOf((context.data as EventPayloads['webhook_endpoint.disabled']).failing_since)
  }
  return {
    ...data,
    event: { id: context.event.id, type, occurred_at: context.event.occurred_at },
    occurred_on: dateOf(context.event.occurred_at),
    customer: { email: context.customer.email },
    operator: { name: operator.name, address: operator.address, url: operator.url ?? null },
  }
}

/** Renders the subject, plain text and HTML of the mail about one event. */
export function renderMail<T extends EventType>(
  type: T,
  context: MailContext<T>,
  opts: RenderMailOptions,
): RenderedMail {
  if (!(EVENT_TYPES as readonly string[]).includes(type)) {
    throw new MailTemplateError(`there is no mail for event type ${type}`, { template: type })
  }
  if (opts.overrideDir !== undefined) assertDir(opts.overrideDir)
  return renderFiles(type, buildView(type, context, opts.operator), opts.overrideDir)
}

/**
 * The mails about an account (`auth.*`: verification, password reset, "an account exists"), which
 * are no domain event: the same files, layout, partials and strict rendering as `renderMail`, with
 * `view` as the whole context (`operator`, `customer`, `link`…).
 */
export const AUTH_MAIL_TEMPLATES = ['auth.verify_email', 'auth.password_reset', 'auth.account_exists'] as const
export type AuthMailTemplate = (typeof AUTH_MAIL_TEMPLATES)[number]

export function renderAuthMail(
  name: AuthMailTemplate,
  view: Record<string, unknown>,
  opts: RenderMailOptions,
): RenderedMail {
  if (opts.overrideDir !== undefined) assertDir(opts.overrideDir)
  return renderFiles(name, { ...view, operator: opts.operator }, opts.overrideDir)
}

function renderFiles(type: string, view: Record<string, unknown>, overrideDir: string | undefined): RenderedMail {
  const opts = { overrideDir }
  const txt = readTemplate(`${type}.txt`, opts.overrideDir)
  const newline = txt.text.indexOf('\n')
  const first = newline >= 0 ? txt.text.slice(0, newline) : txt.text
  if (!first.startsWith(SUBJECT_PREFIX)) {
    throw new MailTemplateError(`mail template ${txt.path} must start with a line "Subject: …"`, {
      template: txt.name,
      file: txt.path,
    })
  }
  // The subject is one header line: whatever a value holds, no line break gets into it.
  const txtFiles: Files = { ext: 'txt', overrideDir: opts.overrideDir }
  const subject = render({ ...txt, text: first.slice(SUBJECT_PREFIX.length) }, view, txtFiles)
    .replace(/\s+/g, ' ')
    .trim()
  if (subject === '') {
    throw new MailTemplateError(`mail template ${txt.path} has an empty subject`, { template: txt.name })
  }

  const bodyView = { ...view, subject }
  // The body's line numbers still count the subject line.
  const body = { ...txt, text: newline >= 0 ? `\n${txt.text.slice(newline + 1)}` : '' }
  const text = `${render(body, bodyView, txtFiles).replace(/^\n+/, '').trimEnd()}\n`
  const content = readTemplate(`${type}.html`, opts.overrideDir)
  const html = /<html[\s>]/i.test(content.text)
    ? render(content, bodyView, { ext: 'html', overrideDir: opts.overrideDir })
    : render(readTemplate(LAYOUT, opts.overrideDir), bodyView, {
        ext: 'html',
        overrideDir: opts.overrideDir,
        content: content.name,
      })
  return { subject, text, html }
}

/** A template file name the renderer reads: `<type>.txt`, `<type>.html` or a partial `_<name>.<ext>`. */
const isTemplateName = (file: string): boolean =>
  (/^_[a-z0-9_-]+\.(txt|html)$/.test(file) && !/^_content\./.test(file)) ||
  [...EVENT_TYPES, ...AUTH_MAIL_TEMPLATES].some(t => file === `${t}.txt` || file === `${t}.html`)

/**
 * Renders every event type with its sample context (sample-contexts.ts) through `overrideDir` and
 * returns the problems, one line each (empty: all good) — for start-up, so a typo in an operator's
 * template is reported before the first mail. Files in the directory that no mail reads count too.
 */
export function checkMailTemplates(opts: RenderMailOptions, samples: { [T in EventType]: MailContext<T> }): string[] {
  const problems: string[] = []
  if (opts.overrideDir !== undefined) {
    try {
      assertDir(opts.overrideDir)
      for (const file of readdirSync(opts.overrideDir)) {
        if (/\.(txt|html)$/.test(file) && !isTemplateName(file)) {
          problems.push(`${join(opts.overrideDir, file)} is not a template oxbill reads (a typo in the event type?)`)
        }
      }
    } catch (err) {
      return [(err as Error).message]
    }
  }
  for (const type of EVENT_TYPES) {
    try {
      renderMail(type, samples[type] as MailContext<typeof type>, opts)
    } catch (err) {
      problems.push((err as Error).message)
    }
  }
  // The account mails too, with what their job passes (a sample link).
  for (const name of AUTH_MAIL_TEMPLATES) {
    try {
      renderAuthMail(
        name,
        {
          customer: { email: 'customer@example.com' },
          link: 'https://panel.example.com/verify-email?token=sample',
          valid_for: '1 hour',
        },
        opts,
      )
    } catch (err) {
      problems.push((err as Error).message)
    }
  }
  return problems
}
