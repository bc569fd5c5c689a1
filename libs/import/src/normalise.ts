import { toE164 } from '@pace/http';
import { canonicalCommunity, canonicalEmirate } from './places';

/**
 * Cell normalisers. Each returns the value or a problem message; empty cells are `null` (not a
 * problem: the caller decides what is required).
 */
export type Result<T> = { value: T } | { problem: string };

const blank = (raw: string | undefined) => raw === undefined || raw.trim() === '' || /^(null|n\/a|-)$/i.test(raw.trim());

export function text(raw: string | undefined, max = 500): Result<string | null> {
  if (blank(raw)) return { value: null };
  const value = raw!.split('\u0000').join('').replace(/\s+/g, ' ').trim();
  return value.length > max ? { problem: `longer than ${max} characters` } : { value };
}

/** Long text keeps its line breaks. */
export function longText(raw: string | undefined, max = 20_000): Result<string | null> {
  if (blank(raw)) return { value: null };
  const value = raw!.split('\u0000').join('').replace(/\r\n?/g, '\n').trim();
  return value.length > max ? { problem: `longer than ${max} characters` } : { value };
}

// Exports repeat numbers (a family's landline, an agency's switchboard, the same person as Lead
// and Contact): each distinct raw value is parsed once. Bounded, so memory stays flat.
const phones = new Map<string, Result<string | null>>();
const PHONE_CACHE = 20_000;
// UAE mobile numbers, most of a Dubai export's phones, as libphonenumber's full metadata has them
// (+971 5[02-68] and seven digits, or 05… nationally): written out without its ~25 µs parse.
// Anything else goes to libphonenumber; normalise.spec.ts checks every prefix against it.
const UAE_MOBILE = /^(?:\+971|0)(5[02-68]\d{7})$/;

/** UAE default region: "+971 50 123 4567", "050-123-4567", "00971501234567" are one number. */
export function phone(raw: string | undefined): Result<string | null> {
  if (blank(raw)) return { value: null };
  const cleaned = raw!.replace(/^\s*\+?\s*00/, '+').replace(/[^\d+]/g, ' ');
  const mobile = UAE_MOBILE.exec(cleaned.replace(/ /g, ''));
  // A UAE mobile costs less to write out than to look up: only libphonenumber's answers are kept.
  if (mobile) return { value: `+971${mobile[1]}` };
  const known = phones.get(raw!);
  if (known) return known;
  const e164 = toE164(cleaned);
  const result = e164 ? { value: e164 } : { problem: `"${raw!.trim()}" is not a valid phone number` };
  if (phones.size >= PHONE_CACHE) phones.clear();
  phones.set(raw!, result);
  return result;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
export function email(raw: string | undefined): Result<string | null> {
  if (blank(raw)) return { value: null };
  const value = raw!.trim().toLowerCase();
  return EMAIL.test(value) ? { value } : { problem: `"${raw!.trim()}" is not an email address` };
}

/**
 * AED amounts ("1,250,000", "AED 1.2M", "85000.50") → integer fils. Fractions of a fil are refused
 * rather than rounded: they mean the column is not what the mapping says.
 */
export function money(raw: string | undefined): Result<number | null> {
  if (blank(raw)) return { value: null };
  let s = raw!.trim().replace(/^(aed|dhs?|د\.إ)\s*/i, '').replace(/\s*(aed|dhs?)$/i, '').replace(/[,\s]/g, '');
  let factor = 1;
  const suffix = /([kKmM])$/.exec(s);
  if (suffix) {
    factor = suffix[1].toLowerCase() === 'k' ? 1_000 : 1_000_000;
    s = s.slice(0, -1);
  }
  if (!/^\d+(\.\d{1,8})?$/.test(s)) return { problem: `"${raw!.trim()}" is not an amount in AED` };
  const [whole, fraction = ''] = s.split('.');
  // Exact decimal arithmetic on the digits (units of 1e-8 AED): 0.1 + 0.2 never enters the picture.
  const units = BigInt(whole + fraction.padEnd(8, '0')) * BigInt(factor);
  if (units % 1_000_000n !== 0n) return { problem: `"${raw!.trim()}" has fractions of a fil` };
  const value = Number(units / 1_000_000n);
  if (!Number.isSafeInteger(value)) return { problem: `"${raw!.trim()}" is too large` };
  return { value };
}

export function integer(raw: string | undefined, min: number, max: number): Result<number | null> {
  if (blank(raw)) return { value: null };
  const s = raw!.trim().replace(/\.0+$/, '');
  if (/^studio$/i.test(s)) return { value: 0 };
  if (!/^-?\d+$/.test(s)) return { problem: `"${raw!.trim()}" is not a whole number` };
  const n = Number(s);
  return n < min || n > max ? { problem: `${n} is outside ${min}–${max}` } : { value: n };
}

export function decimal(raw: string | undefined, min: number, max: number): Result<number | null> {
  if (blank(raw)) return { value: null };
  const s = raw!.trim().replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(s)) return { problem: `"${raw!.trim()}" is not a number` };
  const n = Math.round(Number(s) * 100) / 100;
  return n < min || n > max ? { problem: `${n} is outside ${min}–${max}` } : { value: n };
}

const pad = (n: number) => String(n).padStart(2, '0');
function validDate(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1900 || y > 2100) return undefined;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/**
 * Dates → YYYY-MM-DD. Salesforce writes ISO (`2024-03-31`, `2024-03-31T10:00:00.000Z`) in data
 * exports and the user's locale in reports; a UAE org's locale is day first (`31/03/2024`).
 */
export function date(raw: string | undefined): Result<string | null> {
  if (blank(raw)) return { value: null };
  const s = raw!.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s);
  let out: string | undefined;
  if (m) out = validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  else if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s))) out = validDate(Number(m[3]), Number(m[2]), Number(m[1]));
  return out ? { value: out } : { problem: `"${s}" is not a date (YYYY-MM-DD or DD/MM/YYYY)` };
}

export function bool(raw: string | undefined): Result<boolean | null> {
  if (blank(raw)) return { value: null };
  const s = raw!.trim().toLowerCase();
  if (['true', '1', 'yes', 'y', 'opt-in', 'opted in'].includes(s)) return { value: true };
  if (['false', '0', 'no', 'n', 'opt-out', 'opted out'].includes(s)) return { value: false };
  return { problem: `"${raw!.trim()}" is not true/false` };
}

export function emirate(raw: string | undefined): Result<string | null> {
  if (blank(raw)) return { value: null };
  const value = canonicalEmirate(raw!);
  return value ? { value } : { problem: `"${raw!.trim()}" is not an emirate` };
}

export function community(raw: string | undefined): Result<string | null> {
  if (blank(raw)) return { value: null };
  return { value: canonicalCommunity(raw!) };
}

/** Salesforce multi-select picklists are `;`-separated. */
export function list(raw: string | undefined): string[] {
  if (blank(raw)) return [];
  return raw!
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** 15- or 18-character Salesforce record id. */
export function salesforceId(raw: string | undefined): Result<string | null> {
  if (blank(raw)) return { value: null };
  const s = raw!.trim();
  return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(s) ? { value: s } : { problem: `"${s}" is not a Salesforce Id` };
}
