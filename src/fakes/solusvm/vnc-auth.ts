import { randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * VNC Authentication (RFC 6143 §7.2.2): the server sends a 16-byte random challenge, the client
 * answers it DES-encrypted (ECB, two blocks) with the password as key. Node's OpenSSL 3 has no DES
 * without the legacy provider, so the cipher is noVNC's own (`core/crypto/des.js`, the one the
 * portal's client uses): the fake and the browser then agree by construction, and
 * test/integrations/solusvm/vnc.test.ts checks it against the FIPS 81 vector as well. The module is
 * outside the package's `exports`, hence the path resolved from the package's entry.
 */
interface DesCipher {
  encrypt(algorithm: unknown, plaintext: Uint8Array): Uint8Array | null
}
interface DesModule {
  DESECBCipher: { importKey(key: Uint8Array, algorithm: unknown, extractable: boolean, usages: string[]): DesCipher }
}

const des = (await import(new URL('./crypto/des.js', import.meta.resolve('@novnc/novnc')).href)) as DesModule

/**
 * VNC's key: the first 8 characters of the password (Latin-1 codes), zero-padded. Like every VNC
 * server, longer passwords are cut to 8. noVNC's DES reads each key byte least significant bit
 * first, VNC's well-known quirk, so the bytes go in as they are.
 */
export function vncKey(password: string): Uint8Array {
  const key = new Uint8Array(8)
  for (let i = 0; i < 8 && i < password.length; i++) key[i] = password.charCodeAt(i) & 0xff
  return key
}

/** DES-ECB of `data` (a multiple of 8 bytes) under a VNC key. */
export function vncDes(key: Uint8Array, data: Uint8Array): Buffer {
  const out = des.DESECBCipher.importKey(key, { name: 'DES-ECB' }, false, ['encrypt']).encrypt(
    { name: 'DES-ECB' },
    data,
  )
  if (out === null) throw new Error('DES input must be a multiple of 8 bytes')
  return Buffer.from(out)
}

/** A fresh challenge for one session. */
export const vncChallenge = (): Buffer => randomBytes(16)

/** What a client knowing `password` answers to `challenge`. */
export const vncResponse = (password: string, challenge: Uint8Array): Buffer => vncDes(vncKey(password), challenge)

/** Whether `response` proves the password (constant time). */
export function vncResponseValid(password: string, challenge: Uint8Array, response: Uint8Array): boolean {
  const expected = vncResponse(password, challenge)
  return response.length === expected.length && timingSafeEqual(expected, response)
}
