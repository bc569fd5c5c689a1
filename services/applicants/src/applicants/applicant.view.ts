import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type ApplicantSnapshot, ApplicantRequirementsSchema, ApplicantSnapshotSchema } from '@pace/contracts';
import { type Caller, currentCaller } from '@pace/auth';
import type { ApplicantEntity } from './applicant.entity';
import type { ApplicantView, Requirements, RequirementsView } from './applicant.dto';

const num = (v: string | null) => (v === null ? null : Number(v));

export function requirementsOf(a: ApplicantEntity): RequirementsView {
  return {
    intent: a.intent,
    propertyTypes: a.propertyTypes,
    bedroomsMin: a.bedroomsMin,
    bedroomsMax: a.bedroomsMax,
    budgetMinFils: num(a.budgetMinFils),
    budgetMaxFils: num(a.budgetMaxFils),
    communities: a.communities,
    furnishing: a.furnishing,
    moveInDate: a.moveInDate,
  };
}

/** Requirements as entity columns. */
export function requirementColumns(r: Requirements): Pick<
  ApplicantEntity,
  'intent' | 'propertyTypes' | 'bedroomsMin' | 'bedroomsMax' | 'budgetMinFils' | 'budgetMaxFils' | 'communities' | 'furnishing' | 'moveInDate'
> {
  return {
    intent: r.intent,
    propertyTypes: r.propertyTypes,
    bedroomsMin: r.bedroomsMin,
    bedroomsMax: r.bedroomsMax,
    budgetMinFils: r.budgetMinFils === null ? null : String(r.budgetMinFils),
    budgetMaxFils: r.budgetMaxFils === null ? null : String(r.budgetMaxFils),
    communities: r.communities,
    furnishing: r.furnishing,
    moveInDate: r.moveInDate,
  };
}

export function view(a: ApplicantEntity): ApplicantView {
  return {
    id: a.id,
    firstName: a.firstName,
    lastName: a.lastName,
    phones: a.phones,
    emails: a.emails,
    ownerId: a.ownerId,
    teamId: a.teamId,
    status: a.status,
    lostReason: a.lostReason,
    source: a.source,
    tags: a.tags,
    preferredLanguage: a.preferredLanguage,
    nationality: a.nationality,
    whatsappOptIn: a.whatsappOptIn,
    emailOptIn: a.emailOptIn,
    requirements: requirementsOf(a),
    mergedInto: a.mergedInto,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    version: a.version,
  };
}

/** What the audit keeps of an applicant (everything but the timestamps, which the row has). */
export function auditState(a: ApplicantEntity): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, ...state } = view(a);
  return state;
}

/** The state other domains keep in their projections (event-carried state transfer). */
export function snapshot(a: ApplicantEntity): ApplicantSnapshot {
  const r = requirementsOf(a);
  return create(ApplicantSnapshotSchema, {
    id: a.id,
    firstName: a.firstName,
    lastName: a.lastName,
    phones: a.phones,
    emails: a.emails,
    version: BigInt(a.version),
    createdAt: timestampFromDate(a.createdAt),
    updatedAt: timestampFromDate(a.updatedAt),
    status: a.status,
    source: a.source,
    ownerId: a.ownerId ?? '',
    teamId: a.teamId ?? '',
    tags: a.tags,
    preferredLanguage: a.preferredLanguage ?? '',
    nationality: a.nationality ?? '',
    whatsappOptIn: a.whatsappOptIn,
    emailOptIn: a.emailOptIn,
    requirements: create(ApplicantRequirementsSchema, {
      intent: r.intent ?? '',
      propertyTypes: r.propertyTypes,
      bedroomsMin: r.bedroomsMin ?? -1,
      bedroomsMax: r.bedroomsMax ?? -1,
      budgetMinFils: BigInt(r.budgetMinFils ?? 0),
      budgetMaxFils: BigInt(r.budgetMaxFils ?? 0),
      communities: r.communities,
      furnishing: r.furnishing ?? '',
      moveInDate: r.moveInDate ?? '',
    }),
    mergedInto: a.mergedInto ?? '',
    lostReason: a.lostReason ?? '',
  });
}

/**
 * `snapshot(a)` in proto3 JSON, written directly: `JSON.stringify(toJson(ApplicantSnapshotSchema,
 * snapshot(a)))` byte for byte (fields in number order, defaults left out, int64 as strings), at a
 * fraction of the reflective cost — an import encodes a snapshot per row. A field added to the
 * snapshot must be added here too: applicant.view.spec.ts compares the two on full and empty
 * applicants.
 */
export function snapshotJson(a: ApplicantEntity): string {
  let json = '{';
  const add = (name: string, value: string) => {
    json += (json.length > 1 ? ',"' : '"') + name + '":' + value;
  };
  const str = (name: string, v: string | null | undefined) => {
    if (v) add(name, JSON.stringify(v));
  };
  const list = (name: string, v: string[]) => {
    if (v.length) add(name, JSON.stringify(v));
  };
  // Through Number, as requirementsOf() reads bigint columns.
  const int64 = (name: string, v: string | number | null) => {
    const n = BigInt(v === null ? 0 : Number(v));
    if (n !== 0n) add(name, `"${n}"`);
  };
  str('id', a.id);
  str('firstName', a.firstName);
  str('lastName', a.lastName);
  list('phones', a.phones);
  list('emails', a.emails);
  int64('version', a.version);
  add('createdAt', JSON.stringify(timestampJson(a.createdAt)));
  add('updatedAt', JSON.stringify(timestampJson(a.updatedAt)));
  str('status', a.status);
  str('source', a.source);
  str('ownerId', a.ownerId);
  str('teamId', a.teamId);
  list('tags', a.tags);
  str('preferredLanguage', a.preferredLanguage);
  str('nationality', a.nationality);
  if (a.whatsappOptIn) add('whatsappOptIn', 'true');
  if (a.emailOptIn) add('emailOptIn', 'true');
  const outer = json;
  json = '{';
  str('intent', a.intent);
  list('propertyTypes', a.propertyTypes);
  const bedrooms = (name: string, v: number | null) => {
    const n = v ?? -1;
    if (n !== 0) add(name, String(n | 0));
  };
  bedrooms('bedroomsMin', a.bedroomsMin);
  bedrooms('bedroomsMax', a.bedroomsMax);
  int64('budgetMinFils', a.budgetMinFils);
  int64('budgetMaxFils', a.budgetMaxFils);
  list('communities', a.communities);
  str('furnishing', a.furnishing);
  str('moveInDate', a.moveInDate);
  const requirements = json + '}';
  json = outer;
  add('requirements', requirements);
  str('mergedInto', a.mergedInto);
  str('lostReason', a.lostReason);
  return json + '}';
}

/** A google.protobuf.Timestamp of a Date in proto3 JSON (RFC 3339, milliseconds only when not zero). */
const timestampJson = (d: Date) => d.toISOString().replace('.000Z', 'Z');

export interface Actor {
  /** User or token id; null for the system (events, the sweep). */
  id: string | null;
  role: string;
}

export function actorOf(caller: Caller | undefined = currentCaller()): Actor {
  if (!caller) return { id: null, role: 'system' };
  return caller.kind === 'user' ? { id: caller.id, role: caller.role } : { id: caller.id, role: 'service' };
}
