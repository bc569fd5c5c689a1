import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

/** Numbers without a country code are read as UAE numbers (050… → +97150…). */
const DEFAULT_REGION = 'AE';

export const phoneNumber = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .transform((raw, ctx) => {
    const parsed = parsePhoneNumberFromString(raw, DEFAULT_REGION);
    if (!parsed?.isValid()) {
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not a valid phone number` });
      return z.NEVER;
    }
    return parsed.number;
  });

const name = z.string().trim().min(1, 'is required').max(100);

export const createApplicantBody = z
  .object({
    firstName: name,
    lastName: name,
    phones: z.array(phoneNumber).max(5).default([]),
    emails: z.array(z.email().trim().toLowerCase().max(254)).max(5).default([]),
  })
  .strict()
  .refine((a) => a.phones.length + a.emails.length > 0, { message: 'give at least one phone or email', path: ['phones'] })
  .transform((a) => ({ ...a, phones: [...new Set(a.phones)], emails: [...new Set(a.emails)] }));
export type CreateApplicant = z.infer<typeof createApplicantBody>;

export const applicantId = z.uuid('must be an applicant id (UUID)');

/** What the API returns; the entity never leaves the service. */
export interface ApplicantView {
  id: string;
  firstName: string;
  lastName: string;
  phones: string[];
  emails: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}
