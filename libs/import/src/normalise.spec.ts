import { canonicalCommunity, canonicalEmirate } from './places';
import { toE164 } from '@pace/http';
import { date, email, money, phone } from './normalise';

describe('import normalisers', () => {
  it('writes UAE numbers however typed as one E.164 number', () => {
    for (const raw of ['+971 50 123 4567', '050 123 4567', '050-123-4567', '00971501234567', '(+971) 50 1234567', '+971501234567']) {
      expect(phone(raw)).toEqual({ value: '+971501234567' });
    }
    expect(phone('')).toEqual({ value: null });
    expect(phone('12345')).toHaveProperty('problem');
  });

  it('reads UAE mobiles without libphonenumber exactly as libphonenumber does, whatever the prefix', () => {
    for (let a = 0; a <= 9; a++) {
      for (const rest of ['1234567', '0000000', '9999999']) {
        for (const written of [`+9715${a}${rest}`, `05${a}${rest}`, `+971 5${a} ${rest.slice(0, 3)} ${rest.slice(3)}`, `05${a}-${rest.slice(0, 3)}-${rest.slice(3)}`, `009715${a}${rest}`, `+971 0 5${a}${rest}`]) {
          const e164 = toE164(written.replace(/^\s*\+?\s*00/, '+').replace(/[^\d+]/g, ' '));
          expect([written, phone(written)]).toEqual([written, e164 ? { value: e164 } : { problem: `"${written}" is not a valid phone number` }]);
        }
      }
    }
  });

  it('turns AED amounts into exact integer fils, and refuses what is not an amount', () => {
    expect(money('1,250,000')).toEqual({ value: 125_000_000 });
    expect(money('AED 85,000.50')).toEqual({ value: 8_500_050 });
    expect(money('1.2M')).toEqual({ value: 120_000_000 });
    expect(money('0.1')).toEqual({ value: 10 });
    expect(money('85k')).toEqual({ value: 8_500_000 });
    expect(money('10.005')).toHaveProperty('problem');
    expect(money('Call for price')).toHaveProperty('problem');
  });

  it('reads ISO and day-first dates and refuses impossible ones', () => {
    expect(date('2026-03-31')).toEqual({ value: '2026-03-31' });
    expect(date('2026-03-31T10:00:00.000Z')).toEqual({ value: '2026-03-31' });
    expect(date('31/03/2026')).toEqual({ value: '2026-03-31' });
    expect(date('31/02/2026')).toHaveProperty('problem');
    expect(date('ASAP')).toHaveProperty('problem');
  });

  it('spells emirates and communities one way', () => {
    expect(['Dubai', 'DUBAI', 'dxb', 'دبي'].map(canonicalEmirate)).toEqual(['dubai', 'dubai', 'dubai', 'dubai']);
    expect(canonicalEmirate('Abu Dhabi')).toBe('abu_dhabi');
    expect(['Dubai Marina', 'dubai marina', 'Marsa Dubai', ' DUBAI  MARINA '].map(canonicalCommunity)).toEqual(Array(4).fill('Dubai Marina'));
    expect(canonicalCommunity('JVC')).toBe('Jumeirah Village Circle');
    expect(canonicalCommunity('AL WASL')).toBe('Al Wasl');
  });

  it('lower-cases emails and refuses malformed ones', () => {
    expect(email(' K.Suwaidi@Example.AE ')).toEqual({ value: 'k.suwaidi@example.ae' });
    expect(email('not an email')).toHaveProperty('problem');
  });
});
