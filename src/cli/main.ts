#!/usr/bin/env node
import { ConfigError } from '../config.ts'
import { envHelp } from '../config/docs.ts'
import { AppError } from '../lib/errors.ts'

const HELP = `oxbill — orders, billing and provisioning API for hosting providers

Usage: oxbill <command> [options]

Commands:
  serve                         start the API (default: 127.0.0.1:8080, PGlite in ./data, demo data, fake providers)
      --port N --host H --data-dir D --database-url URL --seed-demo --no-worker
  worker                        run the job worker alone (several may run on one PostgreSQL)
  migrate                       bring the database schema up to date
  users create --email E [--username U] [--balance 100.00]
                                create a user; prints {"user_id", "api_key"} as JSON on stdout
  keys create --user ID [--admin] [--name TEXT]
                                issue an API key (shown once); prints {"key_id", "api_key"}
  keys revoke ID                revoke an API key; its next request gets 401
  balance credit --user ID --amount 10.00 --reason TEXT
                                credit a balance (one ledger entry)
  audit                         check balance = sum of ledger for every user, every crypto payment's
                                credits, and that what was paid was delivered; exit 1 on a violation
  jobs list [--state S]         list jobs (pending, running, done, failed, blocked, cancelled)
  jobs show ID                  one job: attempts, last error, steps (never secrets)
  jobs retry ID                 retry a failed job (re-debits its order, which was refunded)
  servers power ID --action start|stop|shutdown|reboot
  servers reinstall ID --os OS  reinstall with an OS image of the plan; prints the new root password (once)
  servers reset-password ID     reset the root password (the owner reveals it, or SolusVM e-mails it)
                                each only enqueues: the serving process's worker runs the job
  plesk suspend ID [--reason R] suspend a Plesk subscription as an operator (renewals and the lifecycle
                                leave it suspended); the running server's worker applies it
  plesk resume ID               lift an operator's suspension (not a suspension for non-payment)
  services cancel ID [--when end_of_term|immediate]
                                cancel any user's server, Plesk subscription or addon (default at the
                                end of its term; immediate refunds unused time when CANCEL_REFUND_UNUSED)
  services terminate ID [--refund] [--reason TEXT]
                                terminate it now (deleted at SolusVM/Plesk, not recoverable), refunding
                                the unused time with --refund; a running oxbill's worker runs the job
  mail [list] [--limit N] [--json]
                                the mail zero-setup mode kept in DATA_DIR/mail/ instead of sending it,
                                newest first (also at http://127.0.0.1:8080/dev/mail while serving)
  mail show ID [--html]         one kept mail: To, From, Subject, Message-ID, Date and the text (or HTML)
  fake solusvm --port N --token T [--create-delay-ms MS] [--fail-rate R] [--drop-rate R] [--latency-ms MS]
               [--reset-password-mode password|email]
  fake plesk --port N --api-key K [--fail-rate R] [--drop-rate R] [--latency-ms MS]
  fake oxapay --port N --merchant-key K
                                start a fake provider speaking the real HTTP API on loopback
                                (fake OxaPay: curl -X POST "<payment_url>" pays an invoice)

${envHelp()}`

type Command = (argv: string[]) => Promise<number>

// Commands load their modules on demand: `oxbill audit` should not pay for Fastify and the fakes.
const admin = () => import('./admin-commands.ts')
const jobs = () => import('./jobs-commands.ts')
const servers = () => import('./server-commands.ts')
const services = () => import('./services-commands.ts')
const COMMANDS: Record<string, Command | Record<string, Command>> = {
  serve: async a => (await import('./serve.ts')).serve(a),
  worker: async a => (await import('./serve.ts')).worker(a),
  fake: async a => (await import('./fake.ts')).fake(a),
  migrate: async a => (await admin()).migrate(a),
  audit: async a => (await admin()).audit(a),
  users: { create: async a => (await admin()).usersCreate(a) },
  keys: { create: async a => (await admin()).keysCreate(a), revoke: async a => (await admin()).keysRevoke(a) },
  balance: { credit: async a => (await admin()).balanceCredit(a) },
  jobs: {
    list: async a => (await jobs()).jobsList(a),
    show: async a => (await jobs()).jobsShow(a),
    retry: async a => (await jobs()).jobsRetry(a),
  },
  servers: {
    power: async a => (await servers()).serversPower(a),
    reinstall: async a => (await servers()).serversReinstall(a),
    'reset-password': async a => (await servers()).serversResetPassword(a),
  },
  plesk: {
    suspend: async a => (await import('./plesk-commands.ts')).pleskSuspend(a),
    resume: async a => (await import('./plesk-commands.ts')).pleskResume(a),
  },
  services: {
    cancel: async a => (await services()).servicesCancel(a),
    terminate: async a => (await services()).servicesTerminate(a),
  },
  // A function, not a table: bare `oxbill mail` lists.
  mail: async a => (await import('./mail-commands.ts')).mail(a),
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP)
    return name === undefined ? 1 : 0
  }
  const entry = COMMANDS[name]
  if (entry === undefined) {
    process.stderr.write(`unknown command '${name}'\n\n${HELP}`)
    return 1
  }
  if (typeof entry === 'function') return entry(rest)
  const [sub, ...args] = rest
  const fn = sub !== undefined ? entry[sub] : undefined
  if (fn === undefined) {
    process.stderr.write(`usage: oxbill ${name} ${Object.keys(entry).join('|')} …\n`)
    return 1
  }
  return fn(args)
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code
  },
  (err: unknown) => {
    if (err instanceof ConfigError) process.stderr.write(`configuration error: ${err.message}\n`)
    else if (err instanceof AppError) process.stderr.write(`error (${err.code}): ${err.message}\n`)
    else process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exitCode = 1
  },
)
