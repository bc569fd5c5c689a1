import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

/** Numbers written without a country code are read as UAE numbers (050… → +97150…). */
export const DEFAULT_PHONE_REGION = 'AE';

/** E.164 for any valid number, or undefined. */
export function toE164(raw: string): string | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim(), DEFAULT_PHONE_REGION);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** A phone number field: accepts the ways people write numbers, yields E.164. */
export const phoneNumber = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .transform((raw, ctx) => {
    const e164 = toE164(raw);
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not a valid phone number` });
      return z.NEVER;
    }
    return e164;
  });
