import type { GrpcContract } from '../proto';

/**
 * TypeScript view of proto/pace/applicants/v1/applicants.proto as @grpc/proto-loader decodes it
 * (camelCase, defaults filled: empty string means "not set"). A unit test compares these names
 * with the .proto, so the two cannot drift apart silently.
 */
export const APPLICANTS_CONTRACT: GrpcContract = {
  package: 'pace.applicants.v1',
  service: 'ApplicantsService',
  file: 'pace/applicants/v1/applicants.proto',
};

export interface ApplicantMessage {
  id: string;
  firstName: string;
  lastName: string;
  phones: string[];
  emails: string[];
  ownerId: string;
  teamId: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface CreateApplicantRequest {
  firstName: string;
  lastName: string;
  phones: string[];
  emails: string[];
  ownerId: string;
  teamId: string;
}
export interface CreateApplicantResponse {
  applicant: ApplicantMessage;
}
export interface StringList {
  values: string[];
}
export interface UpdateApplicantRequest {
  id: string;
  version: number;
  firstName?: string;
  lastName?: string;
  /** null: leave as is. */
  phones?: StringList | null;
  emails?: StringList | null;
}
export interface UpdateApplicantResponse {
  applicant: ApplicantMessage;
}
export interface GetApplicantRequest {
  id: string;
}
export interface GetApplicantResponse {
  applicant: ApplicantMessage;
}
export interface ListApplicantsRequest {
  limit: number;
  cursor: string;
}
export interface ListApplicantsResponse {
  items: ApplicantMessage[];
  nextCursor: string;
}

/** The RPCs, for a typed client. */
export interface ApplicantsRpc {
  createApplicant: (request: CreateApplicantRequest) => CreateApplicantResponse;
  updateApplicant: (request: UpdateApplicantRequest) => UpdateApplicantResponse;
  getApplicant: (request: GetApplicantRequest) => GetApplicantResponse;
  listApplicants: (request: ListApplicantsRequest) => ListApplicantsResponse;
}
