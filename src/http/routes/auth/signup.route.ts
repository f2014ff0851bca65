import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { signup } from '../../../domain/accounts/signup.ts'
import { withErrors } from '../../schemas/common.ts'
import { Accepted, NoQuery, SignupBody } from './auth.schema.ts'

export const SIGNUP_ACCEPTED = 'if this address can be used, a mail with the next step is on its way'

/** POST /API/auth/signup: the same 202 for a new address and a taken one (its owner is mailed). */
export const signupRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/auth/signup',
      {
        config: { auth: 'none' },
        schema: {
          operationId: 'signup',
          tags: ['auth'],
          summary: 'Create an account: a verification link is mailed (the same answer when the address has one)',
          querystring: NoQuery,
          body: SignupBody,
          response: withErrors({ 202: Accepted }, ['weak_password', 'signup_disabled']),
        },
      },
      async (req, reply) => {
        await signup(deps, req.body)
        return reply.code(202).send({ success: true, message: SIGNUP_ACCEPTED })
      },
    )
  }
