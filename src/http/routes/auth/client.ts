import type { FastifyRequest } from 'fastify'
import type { ClientInfo } from '../../../domain/accounts/views.ts'
import { clientAddress } from '../../rate-limit.ts'

/** Where the request comes from (`req.ip` follows TRUST_PROXY), as the account use-cases take it. */
export function clientInfo(req: FastifyRequest): ClientInfo {
  const ua = req.headers['user-agent']
  return { ip: req.ip, address: clientAddress(req.ip), ...(typeof ua === 'string' ? { userAgent: ua } : {}) }
}
