import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ANY_ROLE, Allow } from '@pace/auth';
import { ZodPipe, pageQuery } from '@pace/http';
import type {
  ApplicantMessage,
  CreateApplicantRequest,
  CreateApplicantResponse,
  GetApplicantRequest,
  GetApplicantResponse,
  ListApplicantsRequest,
  ListApplicantsResponse,
  UpdateApplicantRequest,
  UpdateApplicantResponse,
} from '@pace/rpc';
import { type ApplicantView, applicantId, createApplicantBody, updateApplicantBody } from './applicant.dto';
import { ApplicantsService } from './applicants.service';

const SERVICE = 'ApplicantsService';
const createPipe = new ZodPipe(createApplicantBody);
const updatePipe = new ZodPipe(updateApplicantBody);
const idPipe = new ZodPipe(applicantId);
const pagePipe = new ZodPipe(pageQuery);

/** proto3 has no "unset" for strings: empty means absent. */
const optional = (value: string | undefined) => (value ? value : undefined);

function message(a: ApplicantView): ApplicantMessage {
  return { ...a, ownerId: a.ownerId ?? '', teamId: a.teamId ?? '' };
}

/**
 * The applicants service's edge: gRPC from the gateway. The caller's signed context was verified
 * (and the policy below checked) by the CallerContextInterceptor before a method runs; inputs are
 * validated here again, as the domain never sees an unvalidated value.
 */
@Controller()
export class ApplicantsGrpc {
  constructor(private readonly applicants: ApplicantsService) {}

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
    });
    return { applicant: message(await this.applicants.create(input)) };
  }

  @GrpcMethod(SERVICE, 'UpdateApplicant')
  @Allow({ roles: ANY_ROLE })
  async updateApplicant(request: UpdateApplicantRequest): Promise<UpdateApplicantResponse> {
    const id = idPipe.transform(request.id);
    const changes = updatePipe.transform({
      version: request.version,
      ...(request.firstName !== undefined ? { firstName: request.firstName } : {}),
      ...(request.lastName !== undefined ? { lastName: request.lastName } : {}),
      ...(request.phones ? { phones: request.phones.values } : {}),
      ...(request.emails ? { emails: request.emails.values } : {}),
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
    const query = pagePipe.transform({ limit: request.limit || undefined, cursor: optional(request.cursor) });
    const page = await this.applicants.list(query.limit, query.cursor);
    return { items: page.items.map(message), nextCursor: page.nextCursor ?? '' };
  }
}
