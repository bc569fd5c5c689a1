import { randomBytes } from 'node:crypto';
import { Sealer } from './sealing';

describe('Sealer (AES-256-GCM)', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('round-trips, never stores the plain text, and refuses a tampered value or another row', () => {
    const sealer = new Sealer({ k1 }, undefined);
    const sealed = sealer.seal({ apiSecret: 'very-secret' }, 'propertyfinder');
    expect(sealed.kid).toBe('k1');
    expect(JSON.stringify(sealed)).not.toContain('very-secret');
    expect(sealer.open(sealed, 'propertyfinder')).toEqual({ apiSecret: 'very-secret' });
    expect(() => sealer.open(sealed, 'bayut')).toThrow();
    const tampered = { ...sealed, data: Buffer.from(Buffer.from(sealed.data, 'base64').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64') };
    expect(() => sealer.open(tampered, 'propertyfinder')).toThrow();
  });

  it('rotates: values sealed with the old key still open; new ones use the active key', () => {
    const old = new Sealer({ k1 }, 'k1').seal({ apiKey: 'a' }, 'propertyfinder');
    const rotated = new Sealer({ k1, k2 }, 'k2');
    expect(rotated.open(old, 'propertyfinder')).toEqual({ apiKey: 'a' });
    expect(rotated.seal({ apiKey: 'a' }, 'propertyfinder').kid).toBe('k2');
    expect(() => new Sealer({ k2 }, 'k2').open(old, 'propertyfinder')).toThrow(/k1/);
  });
});
