import { validation } from '../../lib/errors.ts'

/**
 * oxbill's rule for a new FTP password: 10–64 printable characters without spaces, a letter and a
 * digit, not containing the FTP login. Stricter than the one at ordering (8, Plesk's own minimum):
 * a password chosen after the fact is a reset, often after a leak, and Plesk's policy may be
 * stricter still (its refusal then fails the action with Plesk's reason).
 */
export function checkNewFtpPassword(password: string, login: string): void {
  if (
    password.length < 10 ||
    password.length > 64 ||
    !/^[\x21-\x7e]+$/.test(password) ||
    !/[A-Za-z]/.test(password) ||
    !/\d/.test(password)
  ) {
    throw validation(
      'password must be 10-64 printable characters without spaces, with at least one letter and one digit',
      'password',
    )
  }
  if (password.toLowerCase().includes(login.toLowerCase())) {
    throw validation('password must not contain the FTP login', 'password')
  }
}
