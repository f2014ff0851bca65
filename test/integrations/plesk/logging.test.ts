import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AppError } from '../../../src/lib/errors.ts'
import { API_KEY, memoryLogger, startRig } from './helpers.ts'

const FTP_PASSWORD = 'Ftp-S3cret-<&>-pw'
const CUSTOMER_PASSWORD = 'Cust-S3cret-pw'

describe('plesk adapter logging', () => {
  it('never logs the FTP password, customer password or API key, including on failures', async () => {
    const { logger, lines } = memoryLogger()
    const { fake, plesk } = await startRig({}, { logger })
    try {
      const owner = await plesk.createCustomer({
        login: 'logcheck',
        name: 'L',
        email: 'l@x.test',
        password: CUSTOMER_PASSWORD,
        externalId: 'log-1',
      })
      await plesk.createWebspace({
        domain: 'log.example',
        ownerId: owner.id,
        planName: 'Basic',
        ftpLogin: 'logftp',
        ftpPassword: FTP_PASSWORD,
      })
      fake.injectFault({ operation: 'webspace.add', fault: 'lose-response' })
      await assert.rejects(
        plesk.createWebspace({
          domain: 'log2.example',
          ownerId: owner.id,
          planName: 'Basic',
          ftpLogin: 'l2',
          ftpPassword: FTP_PASSWORD,
        }),
        AppError,
      )
      fake.injectFault({ operation: 'webspace.add', fault: 'error', errcode: 1019 })
      await assert.rejects(
        plesk.createWebspace({
          domain: 'log3.example',
          ownerId: owner.id,
          planName: 'Basic',
          ftpLogin: 'l3',
          ftpPassword: FTP_PASSWORD,
        }),
        AppError,
      )
    } finally {
      await fake.close()
    }

    assert.ok(lines.length > 0, 'expected some log lines')
    assert.ok(lines.some(l => l.includes('plesk webspace created')))
    for (const line of lines) {
      for (const secret of [FTP_PASSWORD, CUSTOMER_PASSWORD, API_KEY]) {
        assert.equal(line.includes(secret), false, `log line leaks a secret: ${line.slice(0, 120)}`)
      }
    }
  })
})
