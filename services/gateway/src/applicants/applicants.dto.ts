import { z } from 'zod';
import { pageQuery } from '@pace/http';
import { pageOf, reference, requestSchema, responseSchema } from '../api/registry';

/*
 * The public shape of applicants. The gateway checks shape and limits here; the applicants
 * service normalises and checks meaning (phone numbers, "at least one way to reach them") and
 * its field problems come back in the same `errors` list.
 */
const name = z.string().trim().min(1, 'is required').max(100);
const phones = z.array(z.string().trim().min(3).max(32)).max(5).describe('Phone numbers; local UAE numbers (050…) are read as +971. Stored as E.164, first is primary.');
const emails = z.array(z.email().trim().max(254)).max(5).describe('Email addresses; stored lower-case, first is primary.');

export const applicantView = responseSchema(
  'Applicant',
  'A buyer or tenant. Visible to the agent who owns it, the managers of its team, admins, and tokens with `applicants:read`.',
  z.object({
    id: z.uuid().describe('UUIDv7.'),
    firstName: z.string(),
    lastName: z.string(),
    phones: z.array(z.string()).describe('E.164, first is primary.'),
    emails: z.array(z.string()).describe('Lower-case, first is primary.'),
    ownerId: reference(z.uuid().nullable(), 'User', 'The agent the applicant belongs to.'),
    teamId: reference(z.uuid().nullable(), 'Team', 'The team whose managers see the applicant.'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().min(1).describe('Send it back when changing the applicant (optimistic concurrency).'),
  }),
  { name: 'Applicant', tag: 'applicants', scope: 'applicants:read' },
);
export type ApplicantView = z.infer<typeof applicantView>;
export const applicantPage = pageOf('ApplicantPage', applicantView, 'applicants');

export const createApplicantBody = requestSchema(
  'ApplicantCreation',
  'A new applicant. Give at least one phone or email. It belongs to the caller unless a manager or admin names `ownerId` (with `teamId`).',
  z
    .object({
      firstName: name,
      lastName: name,
      phones: phones.default([]),
      emails: emails.default([]),
      ownerId: z.uuid().optional().describe('Assign to this agent (managers: within their teams; admins: anyone).'),
      teamId: z.uuid().optional().describe('Team of the record; default: the caller\'s first team.'),
    })
    .strict(),
);
export type CreateApplicant = z.infer<typeof createApplicantBody>;

export const updateApplicantBody = requestSchema(
  'ApplicantChange',
  'Changes to an applicant; fields left out stay as they are.',
  z
    .object({
      version: z.number().int().min(1).describe('The version you edited; 409 if someone changed it since.'),
      firstName: name.optional(),
      lastName: name.optional(),
      phones: phones.optional(),
      emails: emails.optional(),
    })
    .strict(),
);
export type UpdateApplicant = z.infer<typeof updateApplicantBody>;

export const applicantId = z.uuid('must be an applicant id (UUID)').describe('Applicant id.');
export const applicantListQuery = pageQuery;
export type ApplicantListQuery = z.infer<typeof applicantListQuery>;
