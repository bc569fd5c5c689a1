import type { ApplicantMessage, AuditEntryMessage, RequirementsMessage, TimelineEntryMessage } from '@pace/rpc';
import type { ApplicantView, AuditEntryView, RequirementsInput, RequirementsView, TimelineEntryView } from './applicants.dto';

/* The REST shapes ↔ the gRPC messages (empty strings and unset optionals ↔ null, int64 ↔ number). */

const num = (v: number | string | null | undefined) => (v === null || v === undefined || v === '' ? null : Number(v));
const text = (v: string | undefined) => (v ? v : null);

export function requirementsView(r: RequirementsMessage | null | undefined): RequirementsView {
  return {
    intent: (text(r?.intent) as RequirementsView['intent']) ?? null,
    propertyTypes: (r?.propertyTypes ?? []) as RequirementsView['propertyTypes'],
    bedroomsMin: num(r?.bedroomsMin),
    bedroomsMax: num(r?.bedroomsMax),
    budgetMinFils: num(r?.budgetMinFils),
    budgetMaxFils: num(r?.budgetMaxFils),
    communities: r?.communities ?? [],
    furnishing: (text(r?.furnishing) as RequirementsView['furnishing']) ?? null,
    moveInDate: text(r?.moveInDate),
  };
}

export function requirementsMessage(r: RequirementsInput): RequirementsMessage {
  return {
    intent: r.intent ?? '',
    propertyTypes: r.propertyTypes ?? [],
    communities: r.communities ?? [],
    furnishing: r.furnishing ?? '',
    moveInDate: r.moveInDate ?? '',
    ...(r.bedroomsMin !== undefined && r.bedroomsMin !== null ? { bedroomsMin: r.bedroomsMin } : {}),
    ...(r.bedroomsMax !== undefined && r.bedroomsMax !== null ? { bedroomsMax: r.bedroomsMax } : {}),
    ...(r.budgetMinFils !== undefined && r.budgetMinFils !== null ? { budgetMinFils: String(r.budgetMinFils) } : {}),
    ...(r.budgetMaxFils !== undefined && r.budgetMaxFils !== null ? { budgetMaxFils: String(r.budgetMaxFils) } : {}),
  };
}

export function applicantView(a: ApplicantMessage): ApplicantView {
  return {
    id: a.id,
    firstName: a.firstName,
    lastName: a.lastName,
    phones: a.phones,
    emails: a.emails,
    ownerId: a.ownerId || null,
    teamId: a.teamId || null,
    status: a.status as ApplicantView['status'],
    lostReason: text(a.lostReason),
    source: a.source as ApplicantView['source'],
    tags: a.tags,
    preferredLanguage: text(a.preferredLanguage),
    nationality: text(a.nationality),
    whatsappOptIn: a.whatsappOptIn,
    emailOptIn: a.emailOptIn,
    requirements: requirementsView(a.requirements),
    mergedInto: text(a.mergedInto),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    version: a.version,
  };
}

export function timelineEntryView(e: TimelineEntryMessage): TimelineEntryView {
  return { id: e.id, applicantId: e.applicantId, kind: e.kind, at: e.at, actorId: e.actorId || null, summary: e.summary, data: e.dataJson ? (JSON.parse(e.dataJson) as Record<string, unknown>) : {} };
}

export function auditEntryView(a: AuditEntryMessage): AuditEntryView {
  return {
    id: a.id,
    applicantId: a.applicantId,
    action: a.action,
    actorId: a.actorId,
    actorRole: a.actorRole,
    at: a.at,
    before: a.beforeJson ? (JSON.parse(a.beforeJson) as Record<string, unknown>) : null,
    after: a.afterJson ? (JSON.parse(a.afterJson) as Record<string, unknown>) : null,
  };
}
