import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** AES-256-GCM: confidentiality and integrity for secrets kept in the database. */
export interface Sealed {
  iv: string;
  tag: string;
  data: string;
  /**
   * Which key sealed it (keyIdOf), so that a rotated key can still be read; absent on what was
   * sealed before keys had ids.
   */
  keyId?: string;
}

export interface TokenCipher {
  /** The id of the key new seals are made with. */
  readonly keyId: string;
  seal(plaintext: string): Sealed;
  /** Opens what any configured key sealed; names the key id when no configured key has it. */
  open(sealed: Sealed): string;
  /** Sealed with a key other than the current one: to be sealed again, so the old key can be retired. */
  isStale(sealed: Sealed): boolean;
}

export class UnknownKeyError extends Error {
  override readonly name = 'UnknownKeyError';
}

/**
 * A key's id: the first 8 hex digits of its SHA-256. Stored beside the data it sealed, it tells
 * which key to open it with, and reveals nothing usable about a 256-bit random key.
 */
export function keyIdOf(base64Key: string): string {
  return createHash('sha256').update(keyBytes(base64Key)).digest('hex').slice(0, 8);
}

function keyBytes(base64Key: string): Buffer {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32) throw new Error('the encryption key must be 32 bytes in base64');
  return key;
}

/**
 * Seals with `currentKey`; opens with it or any of `oldKeys`, which are kept only to read what was
 * sealed before a rotation.
 */
export function tokenCipher(currentKey: string, oldKeys: readonly string[] = []): TokenCipher {
  const current = { id: keyIdOf(currentKey), key: keyBytes(currentKey) };
  const keys = new Map([[current.id, current.key]]);
  for (const old of oldKeys) if (!keys.has(keyIdOf(old))) keys.set(keyIdOf(old), keyBytes(old));

  const openWith = (key: Buffer, sealed: Sealed): string => {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  };

  return {
    keyId: current.id,
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return {
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
        keyId: current.id,
      };
    },
    open(sealed) {
      if (!sealed.keyId) {
        // Sealed before keys had ids: GCM's tag tells the right key from the wrong ones.
        for (const key of keys.values()) {
          try {
            return openWith(key, sealed);
          } catch {
            // not this key
          }
        }
        throw new UnknownKeyError('sealed with a key that is not configured (it has no key id)');
      }
      const key = keys.get(sealed.keyId);
      if (!key) {
        throw new UnknownKeyError(
          `sealed with the encryption key of id ${sealed.keyId}, which is not configured ` +
            `(configured: ${[...keys.keys()].join(', ')}); ` +
            'put that key back in INSTALLATION_ENCRYPTION_OLD_KEYS',
        );
      }
      return openWith(key, sealed);
    },
    isStale: (sealed) => sealed.keyId !== current.id,
  };
}
