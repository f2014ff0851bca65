import { validation } from '../../lib/errors.ts'

/**
 * Input rules for Plesk orders. Domain: an ASCII (or punycode) hostname with at least two labels,
 * each 1–63 chars, TLD alphabetic, ≤ 253 chars. FTP login: Plesk's system-user rule (starts with a
 * letter, then letters, digits, `_ . -`, ≤ 16 chars, lower case). FTP password: 8–64 printable
 * characters without spaces, with a letter and a digit, and not containing the login.
 */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/

export function normalizeDomain(input: string): string {
  const d = input.trim().toLowerCase().replace(/\.$/, '')
  const labels = d.split('.')
  if (
    d.length > 253 ||
    labels.length < 2 ||
    !labels.every(l => LABEL.test(l)) ||
    !TLD.test(labels[labels.length - 1]!)
  ) {
    throw validation(`domain_name '${input}' is not a valid domain name (e.g. example.com)`, 'domain_name')
  }
  return d
}

export function checkFtpLogin(login: string): void {
  if (!/^[a-z][a-z0-9_.-]{0,15}$/.test(login)) {
    throw validation(
      'ftp_login must start with a lower-case letter and use at most 16 lower-case letters, digits, _ . -',
      'ftp_login',
    )
  }
}

export function checkFtpPassword(password: string, login: string): void {
  if (
    password.length < 8 ||
    password.length > 64 ||
    !/^[\x21-\x7e]+$/.test(password) ||
    !/[A-Za-z]/.test(password) ||
    !/\d/.test(password)
  ) {
    throw validation(
      'ftp_password must be 8-64 printable characters without spaces, with at least one letter and one digit',
      'ftp_password',
    )
  }
  if (password.toLowerCase().includes(login.toLowerCase())) {
    throw validation('ftp_password must not contain ftp_login', 'ftp_password')
  }
}
