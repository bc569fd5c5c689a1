import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ANY_ROLE, Allow, type Caller, type UserCaller } from '@pace/auth';
import type { Page } from '@pace/database';
import type { ApplicantMessage } from '@pace/rpc';
import { Endpoint } from '../api/endpoint';
import { ZodBody, ZodParam, ZodQuery } from '../api/params';
import { CurrentCaller, CurrentUser } from '../auth/request';
import { UsersService } from '../identity/users.service';
import {
  type ApplicantListQuery,
  type ApplicantView,
  type CreateApplicant,
  type UpdateApplicant,
  applicantId,
  applicantListQuery,
  applicantPage,
  applicantView,
  createApplicantBody,
  updateApplicantBody,
} from './applicants.dto';
import { ApplicantsClient } from './applicants.client';

function view(a: ApplicantMessage): ApplicantView {
  return { ...a, ownerId: a.ownerId || null, teamId: a.teamId || null };
}

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
  @Endpoint({ tag: 'applicants', summary: 'Create an applicant', status: 201, response: applicantView, errors: [400, 401, 403, 502, 504] })
  async create(@CurrentUser() caller: UserCaller, @ZodBody(createApplicantBody) body: CreateApplicant): Promise<ApplicantView> {
    if (body.ownerId && body.ownerId !== caller.id && caller.role !== 'agent') await this.users.assertAssignable(body.ownerId, body.teamId);
    const res = await this.applicants.call(
      'createApplicant',
      { firstName: body.firstName, lastName: body.lastName, phones: body.phones, emails: body.emails, ownerId: body.ownerId ?? '', teamId: body.teamId ?? '' },
      caller,
    );
    return view(res.applicant);
  }

  @Patch(':id')
  @Allow({ roles: ANY_ROLE })
  @Endpoint({ tag: 'applicants', summary: 'Change an applicant', response: applicantView, errors: [400, 401, 403, 404, 409, 502, 504] })
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
      },
      caller,
    );
    return view(res.applicant);
  }

  @Get(':id')
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  @Endpoint({ tag: 'applicants', summary: 'Read an applicant', response: applicantView, errors: [400, 401, 403, 404, 502, 504] })
  async get(@CurrentCaller() caller: Caller, @ZodParam('id', applicantId) id: string): Promise<ApplicantView> {
    return view((await this.applicants.call('getApplicant', { id }, caller)).applicant);
  }

  @Get()
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  @Endpoint({ tag: 'applicants', summary: 'List applicants', description: 'Newest first; only the records visible to the caller.', response: applicantPage, errors: [400, 401, 403, 502, 504] })
  async list(@CurrentCaller() caller: Caller, @ZodQuery(applicantListQuery) query: ApplicantListQuery): Promise<Page<ApplicantView>> {
    const res = await this.applicants.call('listApplicants', { limit: query.limit, cursor: query.cursor ?? '' }, caller);
    return { items: res.items.map(view), nextCursor: res.nextCursor || null };
  }
}
