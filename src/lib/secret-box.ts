import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt } from 'node:crypto'

/**
 * AES-256-GCM for the few secrets a job must keep until it has run (root and FTP passwords).
 * Format: base64(iv[12] | tag[16] | ciphertext). The key comes from configuration.
 */
export interface SecretBox {
  seal(plaintext: string): string
  open(sealed: string): string
  /** Keyed hash (HMAC-SHA256, hex) for digests of request bodies that may contain passwords. */
  mac(data: string): string
}

export function createSecretBox(keyBase64: string): SecretBox {
  const key = Buffer.from(keyBase64, 'base64')
  if (key.length !== 32) throw new Error('secrets key must be 32 bytes')
  // A separate key for MACs, so the encryption key is used for one purpose only.
  const macKey = createHmac('sha256', key).update('oxbill mac key').digest()
  return {
    mac: data => createHmac('sha256', macKey).update(data, 'utf8').digest('hex'),
    seal(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
    },
    open(sealed) {
      const raw = Buffer.from(sealed, 'base64')
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
    },
  }
}

/** A random password: 20 chars from an unambiguous alphabet, with at least one digit, lower and upper case. */
export function generatePassword(length = 20): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789']
  const all = sets.join('')
  for (;;) {
    // randomInt draws uniformly (a byte modulo 57 would favour the first characters).
    const pw = Array.from({ length }, () => all[randomInt(all.length)]).join('')
    if (sets.every(s => [...pw].some(c => s.includes(c)))) return pw
  }
}
