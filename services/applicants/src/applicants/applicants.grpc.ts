import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ANY_ROLE, Allow } from '@pace/auth';
import { ZodPipe } from '@pace/http';
import type {
  AddNoteRequest,
  AddNoteResponse,
  ApplicantMessage,
  AuditEntryMessage,
  ChangeStatusRequest,
  ChangeStatusResponse,
  CreateApplicantRequest,
  CreateApplicantResponse,
  GetApplicantRequest,
  GetApplicantResponse,
  ListApplicantsRequest,
  ListApplicantsResponse,
  ListAuditRequest,
  ListAuditResponse,
  ListTimelineRequest,
  ListTimelineResponse,
  MergeApplicantsRequest,
  MergeApplicantsResponse,
  RequirementsMessage,
  TimelineEntryMessage,
  UpdateApplicantRequest,
  UpdateApplicantResponse,
} from '@pace/rpc';
import { AuditRepository } from '../audit/audit.repository';
import type { AuditEntity } from '../audit/audit.entity';
import { decodeCursor, toPage } from '@pace/database';
import {
  type ApplicantView,
  type RequirementsView,
  type TimelineEntryView,
  applicantId,
  auditQuery,
  changeStatusBody,
  createApplicantBody,
  mergeBody,
  noteBody,
  searchQuery,
  timelineQuery,
  updateApplicantBody,
} from './applicant.dto';
import { ApplicantsService } from './applicants.service';
import { MergeService } from './merge.service';

const SERVICE = 'ApplicantsService';
const createPipe = new ZodPipe(createApplicantBody);
const updatePipe = new ZodPipe(updateApplicantBody);
const statusPipe = new ZodPipe(changeStatusBody);
const notePipe = new ZodPipe(noteBody);
const mergePipe = new ZodPipe(mergeBody);
const idPipe = new ZodPipe(applicantId);
const searchPipe = new ZodPipe(searchQuery);
const timelinePipe = new ZodPipe(timelineQuery);
const auditPipe = new ZodPipe(auditQuery);

/** proto3 has no "unset" for strings: empty means absent. */
export const optional = (value: string | undefined) => (value ? value : undefined);
const orNull = (value: string | undefined) => (value ? value : null);
const present = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

export function requirementsMessage(r: RequirementsView): RequirementsMessage {
  return {
    intent: r.intent ?? '',
    propertyTypes: r.propertyTypes,
    communities: r.communities,
    furnishing: r.furnishing ?? '',
    moveInDate: r.moveInDate ?? '',
    ...(present(r.bedroomsMin) ? { bedroomsMin: r.bedroomsMin } : {}),
    ...(present(r.bedroomsMax) ? { bedroomsMax: r.bedroomsMax } : {}),
    ...(present(r.budgetMinFils) ? { budgetMinFils: String(r.budgetMinFils) } : {}),
    ...(present(r.budgetMaxFils) ? { budgetMaxFils: String(r.budgetMaxFils) } : {}),
  };
}

/** Requirements from the wire, for the zod schema to check (unset optional fields are null). */
export function requirementsInput(r: RequirementsMessage): Record<string, unknown> {
  return {
    intent: orNull(r.intent),
    propertyTypes: r.propertyTypes,
    bedroomsMin: r.bedroomsMin ?? null,
    bedroomsMax: r.bedroomsMax ?? null,
    budgetMinFils: present(r.budgetMinFils) ? r.budgetMinFils : null,
    budgetMaxFils: present(r.budgetMaxFils) ? r.budgetMaxFils : null,
    communities: r.communities,
    furnishing: orNull(r.furnishing),
    moveInDate: orNull(r.moveInDate),
  };
}

export function message(a: ApplicantView): ApplicantMessage {
  return {
    ...a,
    ownerId: a.ownerId ?? '',
    teamId: a.teamId ?? '',
    lostReason: a.lostReason ?? '',
    preferredLanguage: a.preferredLanguage ?? '',
    nationality: a.nationality ?? '',
    mergedInto: a.mergedInto ?? '',
    requirements: requirementsMessage(a.requirements),
  };
}

export function entryMessage(e: TimelineEntryView): TimelineEntryMessage {
  return { ...e, actorId: e.actorId ?? '', dataJson: JSON.stringify(e.data) };
}

function auditMessage(a: AuditEntity): AuditEntryMessage {
  return {
    id: a.id,
    applicantId: a.applicantId,
    action: a.action,
    actorId: a.actorId,
    actorRole: a.actorRole,
    at: a.at.toISOString(),
    beforeJson: a.before ? JSON.stringify(a.before) : '',
    afterJson: a.after ? JSON.stringify(a.after) : '',
  };
}

/**
 * The applicants service's edge: gRPC from the gateway. The caller's signed context was verified
 * (and the policy below checked) by the CallerContextInterceptor before a method runs; inputs are
 * validated here again, as the domain never sees an unvalidated value.
 */
@Controller()
export class ApplicantsGrpc {
  constructor(
    private readonly applicants: ApplicantsService,
    private readonly merges: MergeService,
    private readonly audit: AuditRepository,
  ) {}

  @GrpcMethod(SERVICE, 'CreateApplicant')
  @Allow({ roles: ANY_ROLE })
  async createApplicant(request: CreateApplicantRequest): Promise<CreateApplicantResponse> {
    const input = createPipe.transform({
      firstName: request.firstName,
      lastName: request.lastName,
      phones: request.phones,
      emails: request.emails,
      ownerId: optional(request.ownerId),
      teamId: optional(request.teamId),
      source: optional(request.source),
      tags: request.tags ?? [],
      preferredLanguage: orNull(request.preferredLanguage),
      nationality: orNull(request.nationality),
      whatsappOptIn: request.whatsappOptIn ?? false,
      emailOptIn: request.emailOptIn ?? false,
      ...(request.requirements ? { requirements: requirementsInput(request.requirements) } : {}),
      note: optional(request.note),
    });
    const created = await this.applicants.create(input);
    return { applicant: message(created.applicant), matched: created.matched };
  }

  @GrpcMethod(SERVICE, 'UpdateApplicant')
  @Allow({ roles: ANY_ROLE })
  async updateApplicant(request: UpdateApplicantRequest): Promise<UpdateApplicantResponse> {
    const id = idPipe.transform(request.id);
    const changes = updatePipe.transform({
      version: request.version,
      ...(request.firstName !== undefined && request.firstName !== null ? { firstName: request.firstName } : {}),
      ...(request.lastName !== undefined && request.lastName !== null ? { lastName: request.lastName } : {}),
      ...(request.phones ? { phones: request.phones.values } : {}),
      ...(request.emails ? { emails: request.emails.values } : {}),
      ...(request.tags ? { tags: request.tags.values } : {}),
      ...(present(request.preferredLanguage) ? { preferredLanguage: orNull(request.preferredLanguage) } : {}),
      ...(present(request.nationality) ? { nationality: orNull(request.nationality) } : {}),
      ...(present(request.whatsappOptIn) ? { whatsappOptIn: request.whatsappOptIn } : {}),
      ...(present(request.emailOptIn) ? { emailOptIn: request.emailOptIn } : {}),
      ...(request.requirements ? { requirements: requirementsInput(request.requirements) } : {}),
    });
    return { applicant: message(await this.applicants.update(id, changes)) };
  }

  @GrpcMethod(SERVICE, 'GetApplicant')
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  async getApplicant(request: GetApplicantRequest): Promise<GetApplicantResponse> {
    return { applicant: message(await this.applicants.get(idPipe.transform(request.id))) };
  }

  @GrpcMethod(SERVICE, 'ListApplicants')
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  async listApplicants(request: ListApplicantsRequest): Promise<ListApplicantsResponse> {
    const query = searchPipe.transform({
      limit: request.limit || undefined,
      cursor: optional(request.cursor),
      q: optional(request.q),
      statuses: request.statuses ?? [],
      sources: request.sources ?? [],
      ownerId: optional(request.ownerId),
      teamId: optional(request.teamId),
      tags: request.tags ?? [],
      budgetFils: present(request.budgetFils) ? request.budgetFils : undefined,
      bedrooms: present(request.bedrooms) ? request.bedrooms : undefined,
      sort: optional(request.sort),
    });
    const page = await this.applicants.list(query);
    return { items: page.items.map(message), nextCursor: page.nextCursor ?? '' };
  }

  @GrpcMethod(SERVICE, 'ChangeStatus')
  @Allow({ roles: ANY_ROLE })
  async changeStatus(request: ChangeStatusRequest): Promise<ChangeStatusResponse> {
    const id = idPipe.transform(request.id);
    const change = statusPipe.transform({ version: request.version, status: request.status, reason: optional(request.reason) });
    return { applicant: message(await this.applicants.changeStatus(id, change)) };
  }

  @GrpcMethod(SERVICE, 'AddNote')
  @Allow({ roles: ANY_ROLE })
  async addNote(request: AddNoteRequest): Promise<AddNoteResponse> {
    const id = idPipe.transform(request.id);
    const { text } = notePipe.transform({ text: request.text });
    return { entry: entryMessage(await this.applicants.addNote(id, text)) };
  }

  @GrpcMethod(SERVICE, 'ListTimeline')
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  async listTimeline(request: ListTimelineRequest): Promise<ListTimelineResponse> {
    const id = idPipe.transform(request.id);
    const page = timelinePipe.transform({ limit: request.limit || undefined, cursor: optional(request.cursor) });
    const result = await this.applicants.listTimeline(id, page.limit, page.cursor);
    return { items: result.items.map(entryMessage), nextCursor: result.nextCursor ?? '' };
  }

  @GrpcMethod(SERVICE, 'MergeApplicants')
  @Allow({ roles: ['manager', 'admin'] })
  async mergeApplicants(request: MergeApplicantsRequest): Promise<MergeApplicantsResponse> {
    const input = mergePipe.transform({ survivorId: request.survivorId, mergedId: request.mergedId, survivorVersion: request.survivorVersion });
    return { applicant: message(await this.merges.merge(input)) };
  }

  /** Admins only: the trail covers every applicant, so it is not filtered by visibility. */
  @GrpcMethod(SERVICE, 'ListAudit')
  @Allow({ roles: ['admin'] })
  async listAudit(request: ListAuditRequest): Promise<ListAuditResponse> {
    const query = auditPipe.transform({ limit: request.limit || undefined, cursor: optional(request.cursor), applicantId: optional(request.applicantId) });
    const rows = await this.audit.list({ applicantId: query.applicantId, beforeId: query.cursor ? decodeCursor(query.cursor).id : undefined }, query.limit);
    const page = toPage(rows, query.limit, (a) => ({ after: a.at.toISOString(), id: a.id }), auditMessage);
    return { items: page.items, nextCursor: page.nextCursor ?? '' };
  }
}
