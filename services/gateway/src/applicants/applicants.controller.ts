import { Controller, Get, HttpCode, Patch, Post, Res } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { ANY_ROLE, Allow, type Caller, type UserCaller } from '@pace/auth';
import type { Page } from '@pace/database';
import { Endpoint } from '../api/endpoint';
import { ZodBody, ZodParam, ZodQuery } from '../api/params';
import { CurrentCaller, CurrentUser } from '../auth/request';
import { UsersService } from '../identity/users.service';
import {
  type ApplicantListQuery,
  type ApplicantView,
  type AuditEntryView,
  type AssignBody,
  type AuditQuery,
  type CreateApplicant,
  type CreatedApplicantView,
  type MergeBody,
  type NoteBody,
  type StatusChange,
  type TimelineEntryView,
  type TimelineQuery,
  type UpdateApplicant,
  applicantId,
  applicantListQuery,
  assignBody,
  applicantPage,
  applicantView as applicantSchema,
  auditPage,
  auditQuery,
  createApplicantBody,
  createdApplicantView,
  mergeBody,
  noteBody,
  statusChangeBody,
  timelineEntryView as timelineEntrySchema,
  timelinePage,
  timelineQuery,
  updateApplicantBody,
} from './applicants.dto';
import { applicantView, auditEntryView, requirementsMessage, timelineEntryView } from './applicants.mapping';
import { ApplicantsClient } from './applicants.client';

/**
 * `/api/v1/applicants`: the applicants service over gRPC. Which records a caller sees is decided
 * there, in its queries, from the signed caller context — this edge only checks the route's
 * policy and the request's shape.
 */
@Controller('api/v1/applicants')
export class ApplicantsController {
  constructor(
    private readonly applicants: ApplicantsClient,
    private readonly users: UsersService,
  ) {}

  @Post()
  @HttpCode(201)
  @Allow({ roles: ANY_ROLE })
  @ApiResponse({ status: 200, description: 'An applicant with one of these phones or emails existed: it is returned (`matched: true`), no twin is made.', standardSchema: createdApplicantView })
  @Endpoint({ tag: 'applicants', summary: 'Create an applicant', status: 201, response: createdApplicantView, errors: [400, 401, 403, 409, 502, 504] })
  async create(@CurrentUser() caller: UserCaller, @ZodBody(createApplicantBody) body: CreateApplicant, @Res({ passthrough: true }) res: Response): Promise<CreatedApplicantView> {
    if (body.ownerId && body.ownerId !== caller.id && caller.role !== 'agent') await this.users.assertAssignable(body.ownerId, body.teamId);
    const created = await this.applicants.call(
      'createApplicant',
      {
        firstName: body.firstName,
        lastName: body.lastName,
        phones: body.phones,
        emails: body.emails,
        ownerId: body.ownerId ?? '',
        teamId: body.teamId ?? '',
        source: body.source ?? '',
        tags: body.tags ?? [],
        preferredLanguage: body.preferredLanguage ?? '',
        nationality: body.nationality ?? '',
        whatsappOptIn: body.whatsappOptIn ?? false,
        emailOptIn: body.emailOptIn ?? false,
        requirements: body.requirements ? requirementsMessage(body.requirements) : null,
        note: body.note ?? '',
      },
      caller,
    );
    if (created.matched) res.status(200);
    return { ...applicantView(created.applicant), matched: created.matched };
  }

  @Patch(':id')
  @Allow({ roles: ANY_ROLE })
  @Endpoint({ tag: 'applicants', summary: 'Change an applicant', response: applicantSchema, errors: [400, 401, 403, 404, 409, 502, 504] })
  async update(@CurrentUser() caller: UserCaller, @ZodParam('id', applicantId) id: string, @ZodBody(updateApplicantBody) body: UpdateApplicant): Promise<ApplicantView> {
    const res = await this.applicants.call(
      'updateApplicant',
      {
        id,
        version: body.version,
        firstName: body.firstName,
        lastName: body.lastName,
        phones: body.phones ? { values: body.phones } : null,
        emails: body.emails ? { values: body.emails } : null,
        tags: body.tags ? { values: body.tags } : null,
        // null clears: the wire's empty string.
        ...(body.preferredLanguage !== undefined ? { preferredLanguage: body.preferredLanguage ?? '' } : {}),
        ...(body.nationality !== undefined ? { nationality: body.nationality ?? '' } : {}),
        ...(body.whatsappOptIn !== undefined ? { whatsappOptIn: body.whatsappOptIn } : {}),
        ...(body.emailOptIn !== undefined ? { emailOptIn: body.emailOptIn } : {}),
        requirements: body.requirements ? requirementsMessage(body.requirements) : null,
      },
      caller,
    );
    return applicantView(res.applicant);
  }

  @Get()
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  @Endpoint({
    tag: 'applicants',
    summary: 'Search applicants',
    description: 'Filters, full-text search and sorting, keyset-paged; only the records visible to the caller. Merged records are left out.',
    response: applicantPage,
    errors: [400, 401, 403, 502, 504],
  })
  async list(@CurrentCaller() caller: Caller, @ZodQuery(applicantListQuery) query: ApplicantListQuery): Promise<Page<ApplicantView>> {
    const res = await this.applicants.call(
      'listApplicants',
      {
        limit: query.limit,
        cursor: query.cursor ?? '',
        q: query.q ?? '',
        statuses: query.status,
        sources: query.source,
        ownerId: query.ownerId ?? '',
        teamId: query.teamId ?? '',
        tags: query.tag,
        ...(query.budgetFils !== undefined ? { budgetFils: String(query.budgetFils) } : {}),
        ...(query.bedrooms !== undefined ? { bedrooms: query.bedrooms } : {}),
        sort: query.sort,
      },
      caller,
    );
    return { items: res.items.map(applicantView), nextCursor: res.nextCursor || null };
  }

  // Declared before `:id`, so `audit` is not read as an applicant id.
  @Get('audit')
  @Allow({ roles: ['admin'] })
  @Endpoint({ tag: 'applicants', summary: 'Audit trail of applicants', description: 'Every mutation: who, when, before and after. Newest first.', response: auditPage, errors: [400, 401, 403, 502, 504] })
  async audit(@CurrentUser() caller: UserCaller, @ZodQuery(auditQuery) query: AuditQuery): Promise<Page<AuditEntryView>> {
    const res = await this.applicants.call('listAudit', { applicantId: query.applicantId ?? '', limit: query.limit, cursor: query.cursor ?? '' }, caller);
    return { items: res.items.map(auditEntryView), nextCursor: res.nextCursor || null };
  }

  @Post('merge')
  @HttpCode(200)
  @Allow({ roles: ['manager', 'admin'] })
  @Endpoint({ tag: 'applicants', summary: 'Merge two applicants', description: 'Both timelines end up on the survivor; the other becomes a tombstone pointing at it.', response: applicantSchema, errors: [400, 401, 403, 404, 409, 502, 504] })
  async merge(@CurrentUser() caller: UserCaller, @ZodBody(mergeBody) body: MergeBody): Promise<ApplicantView> {
    return applicantView((await this.applicants.call('mergeApplicants', body, caller)).applicant);
  }

  @Get(':id')
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  @Endpoint({ tag: 'applicants', summary: 'Read an applicant', description: 'A merged record is returned with `mergedInto` set.', response: applicantSchema, errors: [400, 401, 403, 404, 502, 504] })
  async get(@CurrentCaller() caller: Caller, @ZodParam('id', applicantId) id: string): Promise<ApplicantView> {
    return applicantView((await this.applicants.call('getApplicant', { id }, caller)).applicant);
  }

  @Post(':id/status')
  @HttpCode(200)
  @Allow({ roles: ANY_ROLE })
  @Endpoint({ tag: 'applicants', summary: 'Move an applicant along the pipeline', response: applicantSchema, errors: [400, 401, 403, 404, 409, 502, 504] })
  async status(@CurrentUser() caller: UserCaller, @ZodParam('id', applicantId) id: string, @ZodBody(statusChangeBody) body: StatusChange): Promise<ApplicantView> {
    return applicantView((await this.applicants.call('changeStatus', { id, version: body.version, status: body.status, reason: body.reason ?? '' }, caller)).applicant);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Allow({ roles: ['manager', 'admin'] })
  @Endpoint({ tag: 'applicants', summary: 'Assign an applicant to an agent', response: applicantSchema, errors: [400, 401, 403, 404, 409, 502, 504] })
  async assign(@CurrentUser() caller: UserCaller, @ZodParam('id', applicantId) id: string, @ZodBody(assignBody) body: AssignBody): Promise<ApplicantView> {
    const current = body.teamId ? undefined : (await this.applicants.call('getApplicant', { id }, caller)).applicant;
    const team = body.teamId ?? (current?.teamId || undefined);
    // The gateway owns users and teams: membership is checked here.
    await this.users.assertAssignable(body.ownerId, team);
    const res = await this.applicants.call('assignApplicant', { id, version: body.version, ownerId: body.ownerId, teamId: team ?? '' }, caller);
    return applicantView(res.applicant);
  }

  @Post(':id/notes')
  @HttpCode(201)
  @Allow({ roles: ANY_ROLE })
  @Endpoint({ tag: 'applicants', summary: 'Write a note on the timeline', status: 201, response: timelineEntrySchema, errors: [400, 401, 403, 404, 502, 504] })
  async note(@CurrentUser() caller: UserCaller, @ZodParam('id', applicantId) id: string, @ZodBody(noteBody) body: NoteBody): Promise<TimelineEntryView> {
    return timelineEntryView((await this.applicants.call('addNote', { id, text: body.text }, caller)).entry);
  }

  @Get(':id/timeline')
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  @Endpoint({ tag: 'applicants', summary: "An applicant's timeline", description: 'Notes, status changes, assignments, leads, claims and merges, newest first.', response: timelinePage, errors: [400, 401, 403, 404, 502, 504] })
  async timeline(@CurrentCaller() caller: Caller, @ZodParam('id', applicantId) id: string, @ZodQuery(timelineQuery) query: TimelineQuery): Promise<Page<TimelineEntryView>> {
    const res = await this.applicants.call('listTimeline', { id, limit: query.limit, cursor: query.cursor ?? '' }, caller);
    return { items: res.items.map(timelineEntryView), nextCursor: res.nextCursor || null };
  }

  @Post(':id/claim')
  @HttpCode(200)
  @Allow({ roles: ANY_ROLE })
  @Endpoint({ tag: 'applicants', summary: 'Claim a lead assigned to you', description: 'Before the claim timeout passes it to the next agent of the roster.', response: applicantSchema, errors: [400, 401, 403, 404, 409, 502, 504] })
  async claim(@CurrentUser() caller: UserCaller, @ZodParam('id', applicantId) id: string): Promise<ApplicantView> {
    return applicantView((await this.applicants.call('claimLead', { applicantId: id }, caller)).applicant);
  }
}
