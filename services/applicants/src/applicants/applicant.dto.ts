import { z } from 'zod';
import { phoneNumber } from '@pace/http';

const name = z.string().trim().min(1, 'is required').max(100);

export const createApplicantBody = z
  .object({
    firstName: name,
    lastName: name,
    phones: z.array(phoneNumber).max(5).default([]),
    emails: z.array(z.email().trim().toLowerCase().max(254)).max(5).default([]),
    /** The agent to assign; default: the caller. */
    ownerId: z.uuid().optional(),
    /** The team of the record; default: the caller's first team. */
    teamId: z.uuid().optional(),
  })
  .strict()
  .refine((a) => a.phones.length + a.emails.length > 0, { message: 'give at least one phone or email', path: ['phones'] })
  .transform((a) => ({ ...a, phones: [...new Set(a.phones)], emails: [...new Set(a.emails)] }));
export type CreateApplicant = z.infer<typeof createApplicantBody>;

export const updateApplicantBody = z
  .object({
    /** The version the client edited; a mismatch is a 409. */
    version: z.number().int().min(1),
    firstName: name.optional(),
    lastName: name.optional(),
    phones: z.array(phoneNumber).max(5).optional(),
    emails: z.array(z.email().trim().toLowerCase().max(254)).max(5).optional(),
  })
  .strict()
  .refine((a) => Object.keys(a).length > 1, { message: 'change at least one field', path: ['(body)'] })
  .transform((a) => ({
    ...a,
    ...(a.phones ? { phones: [...new Set(a.phones)] } : {}),
    ...(a.emails ? { emails: [...new Set(a.emails)] } : {}),
  }));
export type UpdateApplicant = z.infer<typeof updateApplicantBody>;

export const applicantId = z.uuid('must be an applicant id (UUID)');

/** What the API returns; the entity never leaves the service. */
export interface ApplicantView {
  id: string;
  firstName: string;
  lastName: string;
  phones: string[];
  emails: string[];
  ownerId: string | null;
  teamId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}
