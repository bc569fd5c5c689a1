import { z } from 'zod';
import { pageQuery } from '@pace/http';
import { pageOf, reference, requestSchema, responseSchema } from '../api/registry';

/*
 * The public shape of applicants. The gateway checks shape and limits here; the applicants
 * service normalises and checks meaning (phone numbers, "at least one way to reach them", status
 * moves) and its field problems come back in the same `errors` list.
 */
export const STATUSES = ['new', 'contacted', 'qualified', 'viewing', 'offer', 'won', 'lost'] as const;
export const SOURCES = ['propertyfinder', 'bayut', 'website', 'walk_in', 'referral', 'import'] as const;
export const LEAD_SOURCES = ['propertyfinder', 'bayut', 'website'] as const;
export const PROPERTY_TYPES = ['apartment', 'villa', 'townhouse', 'penthouse', 'duplex', 'studio', 'land', 'office', 'retail', 'warehouse'] as const;
export const SORTS = ['newest', 'oldest', 'updated', 'name', 'relevance'] as const;

const name = z.string().trim().min(1, 'is required').max(100);
const phones = z.array(z.string().trim().min(3).max(32)).max(5).describe('Phone numbers; local UAE numbers (050…) are read as +971. Stored as E.164, first is primary.');
const emails = z.array(z.email().trim().max(254)).max(5).describe('Email addresses; stored lower-case, first is primary.');
const tags = z.array(z.string().trim().min(1).max(40)).max(20).describe('Free labels, stored lower-case.');
const language = z.string().trim().min(2).max(2).describe('ISO 639-1, e.g. `en`, `ar`.');
const country = z.string().trim().min(2).max(2).describe('ISO 3166-1 alpha-2, e.g. `AE`, `IN`.');
const fils = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const bedrooms = z.number().int().min(0).max(20);

const requirementsShape = {
  intent: z.enum(['buy', 'rent']).nullable().describe('Buy or rent.'),
  propertyTypes: z.array(z.enum(PROPERTY_TYPES)).max(10),
  bedroomsMin: bedrooms.nullable().describe('0 is a studio.'),
  bedroomsMax: bedrooms.nullable(),
  budgetMinFils: fils.nullable().describe('AED in fils (1 AED = 100 fils).'),
  budgetMaxFils: fils.nullable().describe('AED in fils (1 AED = 100 fils).'),
  communities: z.array(z.string().trim().min(1).max(100)).max(20).describe('e.g. Dubai Marina, Arabian Ranches.'),
  furnishing: z.enum(['furnished', 'unfurnished', 'partly']).nullable(),
  moveInDate: z.iso.date().nullable().describe('YYYY-MM-DD.'),
};

export const requirementsView = responseSchema('Requirements', 'What the applicant is looking for. Money in fils (AED minor units); null: not said.', z.object(requirementsShape));
export type RequirementsView = z.infer<typeof requirementsView>;

export const requirementsInput = requestSchema(
  'RequirementsInput',
  'What the applicant is looking for; fields left out are "not said". Money in fils (AED minor units).',
  z
    .object({
      intent: requirementsShape.intent.optional(),
      propertyTypes: requirementsShape.propertyTypes.optional(),
      bedroomsMin: requirementsShape.bedroomsMin.optional(),
      bedroomsMax: requirementsShape.bedroomsMax.optional(),
      budgetMinFils: requirementsShape.budgetMinFils.optional(),
      budgetMaxFils: requirementsShape.budgetMaxFils.optional(),
      communities: requirementsShape.communities.optional(),
      furnishing: requirementsShape.furnishing.optional(),
      moveInDate: requirementsShape.moveInDate.optional(),
    })
    .strict(),
);
export type RequirementsInput = z.infer<typeof requirementsInput>;

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
    status: z.enum(STATUSES).describe('Pipeline: new → contacted → qualified → viewing → offer → won | lost.'),
    lostReason: z.string().nullable().describe('Why it was lost (status lost only).'),
    source: z.enum(SOURCES),
    tags: z.array(z.string()),
    preferredLanguage: z.string().nullable().describe('ISO 639-1.'),
    nationality: z.string().nullable().describe('ISO 3166-1 alpha-2.'),
    whatsappOptIn: z.boolean().describe('Consented to WhatsApp messages.'),
    emailOptIn: z.boolean().describe('Consented to marketing email.'),
    requirements: requirementsView,
    mergedInto: reference(z.uuid().nullable(), 'Applicant', 'Set on a merged record: the applicant it was merged into (follow it).'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().min(1).describe('Send it back when changing the applicant (optimistic concurrency).'),
  }),
  { name: 'Applicant', tag: 'applicants', scope: 'applicants:read' },
);
export type ApplicantView = z.infer<typeof applicantView>;
export const applicantPage = pageOf('ApplicantPage', applicantView, 'applicants');

export const createdApplicantView = responseSchema(
  'ApplicantCreated',
  'The applicant created (201), or — when a live applicant already has one of the phones or emails — that existing one with `matched: true` (200).',
  applicantView.extend({ matched: z.boolean().describe('True: an existing applicant was returned instead of a twin.') }),
);
export type CreatedApplicantView = z.infer<typeof createdApplicantView>;

export const createApplicantBody = requestSchema(
  'ApplicantCreation',
  'A new applicant. Give at least one phone or email. It belongs to the caller unless a manager or admin names `ownerId` (with `teamId`). An existing applicant with one of the phones or emails is returned instead (200, `matched: true`); if it belongs to someone you cannot see, 409 `applicant-exists`.',
  z
    .object({
      firstName: name,
      lastName: name,
      phones: phones.default([]),
      emails: emails.default([]),
      ownerId: z.uuid().optional().describe('Assign to this agent (managers: within their teams; admins: anyone).'),
      teamId: z.uuid().optional().describe("Team of the record; default: the caller's first team."),
      source: z.enum(SOURCES).optional().describe('Default: walk_in.'),
      tags: tags.optional(),
      preferredLanguage: language.optional(),
      nationality: country.optional(),
      whatsappOptIn: z.boolean().optional(),
      emailOptIn: z.boolean().optional(),
      requirements: requirementsInput.optional(),
      note: z.string().trim().min(1).max(5000).optional().describe('A first note on the timeline.'),
    })
    .strict(),
);
export type CreateApplicant = z.infer<typeof createApplicantBody>;

export const updateApplicantBody = requestSchema(
  'ApplicantChange',
  'Changes to an applicant; fields left out stay as they are. `requirements`, when given, replaces them as a whole.',
  z
    .object({
      version: z.number().int().min(1).describe('The version you edited; 409 if someone changed it since.'),
      firstName: name.optional(),
      lastName: name.optional(),
      phones: phones.optional(),
      emails: emails.optional(),
      tags: tags.optional(),
      preferredLanguage: language.nullable().optional().describe('null clears.'),
      nationality: country.nullable().optional().describe('null clears.'),
      whatsappOptIn: z.boolean().optional(),
      emailOptIn: z.boolean().optional(),
      requirements: requirementsInput.optional(),
    })
    .strict(),
);
export type UpdateApplicant = z.infer<typeof updateApplicantBody>;

export const statusChangeBody = requestSchema(
  'StatusChange',
  'Move the applicant along the pipeline. Forward moves may skip steps, a deal may fall back one step, `lost` needs a `reason`, `won` is final, a lost applicant can be reopened as `contacted`.',
  z.object({ version: z.number().int().min(1), status: z.enum(STATUSES), reason: z.string().trim().max(500).optional() }).strict(),
);
export type StatusChange = z.infer<typeof statusChangeBody>;

export const assignBody = requestSchema(
  'ApplicantAssignment',
  'Give the applicant to another agent: managers within the teams they lead, admins anyone. The agent must be an active member of the team. Pending leads of the applicant count as handled.',
  z
    .object({
      version: z.number().int().min(1),
      ownerId: z.uuid().describe('The agent to give it to.'),
      teamId: z.uuid().optional().describe('The team of the record; default: its current team.'),
    })
    .strict(),
);
export type AssignBody = z.infer<typeof assignBody>;

export const noteBody = requestSchema('NoteCreation', 'A note on the applicant\'s timeline.', z.object({ text: z.string().trim().min(1, 'is required').max(5000) }).strict());
export type NoteBody = z.infer<typeof noteBody>;

export const mergeBody = requestSchema(
  'ApplicantMerge',
  'Merge `mergedId` into `survivorId`: the survivor takes the other\'s contacts, tags and missing requirements, and both timelines; the other becomes a tombstone (`mergedInto`). Both must be visible to you.',
  z.object({ survivorId: z.uuid(), mergedId: z.uuid(), survivorVersion: z.number().int().min(1).describe('The survivor\'s version you saw.') }).strict(),
);
export type MergeBody = z.infer<typeof mergeBody>;

export const timelineEntryView = responseSchema(
  'TimelineEntry',
  'One item of an applicant\'s activity stream: a note, status change, assignment, lead, claim or merge (and later calls, messages and viewings).',
  z.object({
    id: z.uuid().describe('UUIDv7: ordering by id is ordering by time.'),
    applicantId: reference(z.uuid(), 'Applicant', 'The applicant whose stream holds it.'),
    kind: z.string().describe('created, note, status_changed, assigned, lead_received, lead_claimed, merged, …'),
    at: z.iso.datetime(),
    actorId: z.uuid().nullable().describe('Who did it; null for the system.'),
    summary: z.string(),
    data: z.record(z.string(), z.unknown()).describe('Details of the entry, by kind.'),
  }),
);
export type TimelineEntryView = z.infer<typeof timelineEntryView>;
export const timelinePage = pageOf('TimelinePage', timelineEntryView, 'timeline entries');

export const auditEntryView = responseSchema(
  'ApplicantAuditEntry',
  'One mutation of an applicant: who, when, what, and the applicant before and after.',
  z.object({
    id: z.uuid(),
    applicantId: z.uuid(),
    action: z.string().describe('create, update, status, note, assign, lead, claim, merge, merged.'),
    actorId: z.string().describe('User or API token id, or `system`.'),
    actorRole: z.string(),
    at: z.iso.datetime(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
  }),
);
export type AuditEntryView = z.infer<typeof auditEntryView>;
export const auditPage = pageOf('ApplicantAuditPage', auditEntryView, 'audit entries');

/** Repeated (`?status=a&status=b`) or comma-separated (`?status=a,b`) query values. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean)), z.array(item).max(20));

/** Filters, full-text search and order of the applicant list; always within what the caller may see. */
export const applicantListQuery = pageQuery.extend({
    q: z.string().trim().min(1).max(200).optional().describe('Full text over names (Arabic as written), phones (however typed), emails, tags and communities.'),
    status: list(z.enum(STATUSES)).describe('One or more statuses (repeat or comma-separate).'),
    source: list(z.enum(SOURCES)).describe('One or more sources.'),
    ownerId: z.uuid().optional().describe('Only this agent\'s applicants.'),
    teamId: z.uuid().optional().describe('Only this team\'s applicants.'),
    tag: list(z.string().trim().min(1).max(40)).describe('Every tag given must be present.'),
    budgetFils: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe('Applicants whose budget range includes this amount (fils).'),
    bedrooms: z.coerce.number().int().min(0).max(20).optional().describe('Applicants whose bedroom range includes this count.'),
    sort: z.enum(SORTS).default('newest').describe('relevance needs q.'),
});
export type ApplicantListQuery = z.infer<typeof applicantListQuery>;

export const auditQuery = pageQuery.extend({ applicantId: z.uuid().optional().describe('Only this applicant\'s.') });
export type AuditQuery = z.infer<typeof auditQuery>;

export const leadBody = requestSchema(
  'LeadIntake',
  'A lead from Bayut or the website (Property Finder leads arrive through syndication). Idempotent per `source` + `portalLeadId`: a retry answers 200 with `replayed: true`. Unreadable phones and emails are dropped as long as one way to reach the person remains.',
  z
    .object({
      source: z.enum(LEAD_SOURCES),
      portalLeadId: z.string().trim().min(1, 'is required').max(200).describe('The portal\'s own id of the lead.'),
      channel: z.string().trim().max(40).optional().describe('whatsapp, email, call, form.'),
      listingReference: z.string().trim().max(40).optional().describe('Our listing reference, e.g. ALS-S-001001.'),
      listingId: z.uuid().optional(),
      senderName: z.string().trim().max(200).optional(),
      phones: z.array(z.string().max(64)).max(10).default([]),
      emails: z.array(z.string().max(254)).max(10).default([]),
      message: z.string().trim().max(5000).optional(),
    })
    .strict(),
);
export type LeadBody = z.infer<typeof leadBody>;

export const leadResultView = responseSchema(
  'LeadResult',
  'What intake did with the lead: the applicant (new: 201; matched or replayed: 200) and its assignment.',
  z.object({
    applicant: applicantView,
    matched: z.boolean().describe('The lead matched an existing applicant by phone or email.'),
    replayed: z.boolean().describe('This lead was taken in before; nothing changed.'),
  }),
);
export type LeadResultView = z.infer<typeof leadResultView>;

export const rosterBody = requestSchema(
  'LeadRosterChange',
  'The agents who take the team\'s leads in turn (each must be an active member of the team), and the lead sources routed to the team.',
  z.object({ agentIds: z.array(z.uuid()).max(100), sources: z.array(z.enum(LEAD_SOURCES)).max(3).default([]) }).strict(),
);
export type RosterBody = z.infer<typeof rosterBody>;

export const rosterView = responseSchema(
  'LeadRoster',
  'Who receives a team\'s leads, least recently assigned first, and from which sources.',
  z.object({
    teamId: z.uuid(),
    agents: z.array(z.object({ agentId: z.uuid(), active: z.boolean(), lastAssignedAt: z.iso.datetime().nullable() })),
    sources: z.array(z.enum(LEAD_SOURCES)),
  }),
);
export type RosterView = z.infer<typeof rosterView>;

export const applicantId = z.uuid('must be an applicant id (UUID)').describe('Applicant id.');
export const teamId = z.uuid('must be a team id (UUID)').describe('Team id.');
export const timelineQuery = pageQuery;
export type TimelineQuery = z.infer<typeof timelineQuery>;
