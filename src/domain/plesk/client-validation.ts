import { validation } from '../../lib/errors.ts'

/**
 * Input rules for a Plesk client. Login: like the FTP login of `orders/plesk-validation.ts`
 * (starts with a lower-case letter; lower-case letters, digits, `_ . -`) but up to 60 characters,
 * Plesk's limit for customer logins. Password: the FTP password rule (8–64 printable characters
 * without spaces, a letter and a digit, not containing the login). Name and company: printable
 * text, no control characters. Email: one `@` and a dotted domain.
 */
const LOGIN = /^[a-z][a-z0-9_.-]{2,59}$/
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\x00-\x1f\x7f]/

export interface ClientFields {
  name: string
  login: string
  email: string
  password: string
  company: string | null
}

/** Checks and normalises the fields of a new Plesk client (trimmed name and company; empty company → null). */
export function checkClientFields(input: {
  name: string
  login: string
  email: string
  password: string
  company?: string
}): ClientFields {
  const name = input.name.trim()
  if (name.length === 0 || name.length > 100 || CONTROL.test(name)) {
    throw validation('name must be 1-100 characters of text', 'name')
  }
  if (!LOGIN.test(input.login)) {
    throw validation(
      'login must be 3-60 characters: a lower-case letter, then lower-case letters, digits, _ . -',
      'login',
    )
  }
  if (input.email.length > 254 || !EMAIL.test(input.email)) {
    throw validation(`email '${input.email}' is not an email address`, 'email')
  }
  const pw = input.password
  if (pw.length < 8 || pw.length > 64 || !/^[\x21-\x7e]+$/.test(pw) || !/[A-Za-z]/.test(pw) || !/\d/.test(pw)) {
    throw validation(
      'password must be 8-64 printable characters without spaces, with at least one letter and one digit',
      'password',
    )
  }
  if (pw.toLowerCase().includes(input.login.toLowerCase())) {
    throw validation('password must not contain login', 'password')
  }
  const company = input.company?.trim() ?? ''
  if (company.length > 100 || CONTROL.test(company)) {
    throw validation('company must be at most 100 characters of text', 'company')
  }
  return { name, login: input.login, email: input.email, password: pw, company: company === '' ? null : company }
}
