import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  forgotSchema,
  loginSchema,
  resetBody,
  resetSchema,
  signupBody,
  signupSchema,
} from '../../src/features/auth/auth.schema.ts'
import {
  apiKeySchema,
  changePasswordSchema,
  profileBody,
  profileFormValues,
  profileSchema,
  totpConfirmSchema,
  totpDisableBody,
} from '../../src/features/account/account.schema.ts'
import { t } from '../../src/lib/i18n/index.ts'

const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) => {
  assert.equal(r.success, false)
  return Object.fromEntries(r.error!.issues.map(i => [i.path.join('.'), i.message]))
}
const login = { email: ' Ann@Example.com ', password: 'pw', totp_code: '', recovery_code: '' }

describe('login', () => {
  it('sends e-mail and password only until the server asks for a second factor', () => {
    assert.deepEqual(loginSchema.parse({ ...login, step: 'password', totp_code: '123456' }), {
      email: 'Ann@Example.com',
      password: 'pw',
    })
  })
  it('then the app code (spaces dropped) or a recovery code, never both', () => {
    assert.deepEqual(loginSchema.parse({ ...login, step: 'totp', totp_code: '123 456', recovery_code: 'x' }), {
      email: 'Ann@Example.com',
      password: 'pw',
      totp_code: '123456',
    })
    assert.deepEqual(loginSchema.parse({ ...login, step: 'recovery', recovery_code: ' ab12-cd34 ' }), {
      email: 'Ann@Example.com',
      password: 'pw',
      recovery_code: 'ab12-cd34',
    })
  })
  it('refuses a malformed code, an empty password, a bad address', () => {
    assert.deepEqual(issues(loginSchema.safeParse({ ...login, step: 'totp', totp_code: '12345' })), {
      totp_code: t.auth.codeFormat,
    })
    assert.deepEqual(issues(loginSchema.safeParse({ ...login, step: 'recovery' })), { recovery_code: t.form.required })
    assert.deepEqual(issues(loginSchema.safeParse({ ...login, email: 'ann', password: '', step: 'password' })), {
      email: t.auth.invalidEmail,
      password: t.form.required,
    })
  })
})

describe('signup and password reset', () => {
  it('checks the policy length and leaves the rest to the server', () => {
    assert.deepEqual(signupBody({ email: 'a@b.example', password: 'x'.repeat(10), username: '  ' }), {
      email: 'a@b.example',
      password: 'x'.repeat(10),
      username: undefined,
    })
    assert.deepEqual(issues(signupSchema.safeParse({ email: 'a@b.example', password: 'short', username: 'a b' })), {
      password: t.form.atLeast({ n: 10 }),
      username: t.auth.usernameHint,
    })
    assert.ok(!signupSchema.safeParse({ email: 'a@b.example', password: 'x'.repeat(257), username: '' }).success)
    assert.ok(!forgotSchema.safeParse({ email: '' }).success)
  })
  it('needs the new password twice', () => {
    assert.deepEqual(issues(resetSchema.safeParse({ password: 'x'.repeat(12), confirm: 'y'.repeat(12) })), {
      confirm: t.auth.passwordsDiffer,
    })
    assert.deepEqual(resetBody('tok', { password: 'x'.repeat(12), confirm: 'x'.repeat(12) }), {
      token: 'tok',
      password: 'x'.repeat(12),
    })
  })
})

describe('profile', () => {
  const empty = profileFormValues({
    username: 'ann',
    telegram: null,
    billing: {
      name: null,
      company: null,
      address_line1: null,
      address_line2: null,
      postal_code: null,
      city: null,
      country: null,
      vat_id: null,
    },
  })
  it('turns empty boxes into null and upper-cases the country', () => {
    const body = profileBody({
      ...empty,
      telegram: ' @ann ',
      billing: { ...empty.billing, country: 'de', city: ' Berlin ' },
    })
    assert.equal(body.telegram, '@ann')
    assert.equal(body.billing.country, 'DE')
    assert.equal(body.billing.city, 'Berlin')
    assert.equal(body.billing.vat_id, null)
  })
  it('refuses a country that is not two letters and an empty username', () => {
    assert.deepEqual(
      issues(profileSchema.safeParse({ ...empty, username: ' ', billing: { ...empty.billing, country: 'DEU' } })),
      {
        username: t.form.required,
        'billing.country': t.account.countryHint,
      },
    )
  })
})

describe('password, 2FA, keys', () => {
  it('sends only current and new password', () => {
    assert.deepEqual(
      changePasswordSchema.parse({ current_password: 'a', new_password: 'b'.repeat(10), confirm: 'b'.repeat(10) }),
      {
        current_password: 'a',
        new_password: 'b'.repeat(10),
      },
    )
    assert.ok(
      !changePasswordSchema.safeParse({ current_password: 'a', new_password: 'b'.repeat(10), confirm: 'c' }).success,
    )
  })
  it('reads app codes and recovery codes', () => {
    assert.deepEqual(totpConfirmSchema.parse({ code: '123 456' }), { code: '123456' })
    assert.ok(!totpConfirmSchema.safeParse({ code: 'abcdef' }).success)
    assert.deepEqual(totpDisableBody({ password: 'pw', code: '123 456' }), { password: 'pw', code: '123456' })
    assert.deepEqual(totpDisableBody({ password: 'pw', code: ' AB12-CD34 ' }), { password: 'pw', code: 'AB12-CD34' })
  })
  it('names a key', () => {
    assert.deepEqual(apiKeySchema.parse({ name: ' ci ' }), { name: 'ci' })
    assert.ok(!apiKeySchema.safeParse({ name: '   ' }).success)
    assert.ok(!apiKeySchema.safeParse({ name: 'x'.repeat(101) }).success)
  })
})
