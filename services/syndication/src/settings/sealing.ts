import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Sealed } from './setting.entity';

export class SealingUnavailableError extends Error {}

/**
 * AES-256-GCM with a random 96-bit IV per value and the key id stored beside the ciphertext, so
 * keys can be rotated: add the new key, make it active, re-seal (old values still open with their key).
 */
export class Sealer {
  constructor(
    private readonly keys: Record<string, Buffer> | undefined,
    private readonly activeKid: string | undefined,
  ) {}

  get available(): boolean {
    return Boolean(this.keys && Object.keys(this.keys).length);
  }

  get kid(): string {
    const kid = this.activeKid ?? Object.keys(this.keys ?? {})[0];
    if (!kid || !this.keys?.[kid]) throw new SealingUnavailableError('no encryption key is configured (SYNDICATION_ENCRYPTION_KEYS / SYNDICATION_ENCRYPTION_KEY_ID)');
    return kid;
  }

  seal(plain: Record<string, string>, aad: string): Sealed {
    const kid = this.kid;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys![kid]!, iv);
    cipher.setAAD(Buffer.from(aad));
    const data = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    return { kid, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  open(sealed: Sealed, aad: string): Record<string, string> {
    const key = this.keys?.[sealed.kid];
    if (!key) throw new SealingUnavailableError(`credentials were sealed with key "${sealed.kid}", which is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Record<string, string>;
  }
}
