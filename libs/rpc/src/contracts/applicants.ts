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

/** int64 fields travel as decimal strings (longs: String); optional ones are absent when unset. */
export interface RequirementsMessage {
  intent: string;
  propertyTypes: string[];
  bedroomsMin?: number | null;
  bedroomsMax?: number | null;
  budgetMinFils?: string | null;
  budgetMaxFils?: string | null;
  communities: string[];
  furnishing: string;
  moveInDate: string;
}

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
  status: string;
  source: string;
  tags: string[];
  preferredLanguage: string;
  nationality: string;
  whatsappOptIn: boolean;
  emailOptIn: boolean;
  requirements: RequirementsMessage | null;
  mergedInto: string;
  lostReason: string;
}

export interface CreateApplicantRequest {
  firstName: string;
  lastName: string;
  phones: string[];
  emails: string[];
  ownerId: string;
  teamId: string;
  /** Fields added with the CRM core are optional for clients (the server sees proto defaults). */
  source?: string;
  tags?: string[];
  preferredLanguage?: string;
  nationality?: string;
  whatsappOptIn?: boolean;
  emailOptIn?: boolean;
  requirements?: RequirementsMessage | null;
  note?: string;
}
export interface CreateApplicantResponse {
  applicant: ApplicantMessage;
  matched: boolean;
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
  tags?: StringList | null;
  preferredLanguage?: string;
  nationality?: string;
  whatsappOptIn?: boolean;
  emailOptIn?: boolean;
  /** null: leave as is. */
  requirements?: RequirementsMessage | null;
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
  /** Search fields: optional for clients (the server sees proto defaults). */
  q?: string;
  statuses?: string[];
  sources?: string[];
  ownerId?: string;
  teamId?: string;
  tags?: string[];
  budgetFils?: string | null;
  bedrooms?: number | null;
  sort?: string;
}
export interface ListApplicantsResponse {
  items: ApplicantMessage[];
  nextCursor: string;
}

export interface AssignApplicantRequest {
  id: string;
  version: number;
  ownerId: string;
  teamId: string;
}
export interface AssignApplicantResponse {
  applicant: ApplicantMessage;
}
export interface ChangeStatusRequest {
  id: string;
  version: number;
  status: string;
  reason: string;
}
export interface ChangeStatusResponse {
  applicant: ApplicantMessage;
}
export interface TimelineEntryMessage {
  id: string;
  applicantId: string;
  kind: string;
  at: string;
  actorId: string;
  summary: string;
  dataJson: string;
}
export interface AddNoteRequest {
  id: string;
  text: string;
}
export interface AddNoteResponse {
  entry: TimelineEntryMessage;
}
export interface ListTimelineRequest {
  id: string;
  limit: number;
  cursor: string;
}
export interface ListTimelineResponse {
  items: TimelineEntryMessage[];
  nextCursor: string;
}
export interface MergeApplicantsRequest {
  survivorId: string;
  mergedId: string;
  survivorVersion: number;
}
export interface MergeApplicantsResponse {
  applicant: ApplicantMessage;
}
export interface AuditEntryMessage {
  id: string;
  applicantId: string;
  action: string;
  actorId: string;
  actorRole: string;
  at: string;
  beforeJson: string;
  afterJson: string;
}
export interface ListAuditRequest {
  applicantId: string;
  limit: number;
  cursor: string;
}
export interface ListAuditResponse {
  items: AuditEntryMessage[];
  nextCursor: string;
}
export interface IntakeLeadRequest {
  source: string;
  portalLeadId: string;
  channel: string;
  listingReference: string;
  listingId: string;
  senderName: string;
  phones: string[];
  emails: string[];
  message: string;
}
export interface IntakeLeadResponse {
  applicant: ApplicantMessage;
  matched: boolean;
  replayed: boolean;
}
export interface ClaimLeadRequest {
  applicantId: string;
}
export interface ClaimLeadResponse {
  applicant: ApplicantMessage;
}
export interface RosterAgentMessage {
  agentId: string;
  active: boolean;
  lastAssignedAt: string;
}
export interface LeadRosterMessage {
  teamId: string;
  agents: RosterAgentMessage[];
  sources: string[];
}
export interface SetLeadRosterRequest {
  teamId: string;
  agentIds: string[];
  sources: string[];
}
export interface GetLeadRosterRequest {
  teamId: string;
}
export interface LeadRosterResponse {
  roster: LeadRosterMessage;
}

export interface SyncRequest {
  limit: number;
  cursor: string;
}
export interface SyncTombstoneMessage {
  /** deleted | merged. */
  kind: string;
  mergedInto: string;
}
export interface SyncApplicantChangeMessage {
  id: string;
  updatedAt: string;
  /** Exactly one of the two is set (the other null). */
  applicant: ApplicantMessage | null;
  tombstone: SyncTombstoneMessage | null;
}
export interface SyncApplicantsResponse {
  items: SyncApplicantChangeMessage[];
  nextCursor: string;
  hasMore: boolean;
}
export interface SyncActivityChangeMessage {
  id: string;
  updatedAt: string;
  entry: TimelineEntryMessage | null;
  tombstone: SyncTombstoneMessage | null;
}
export interface SyncActivitiesResponse {
  items: SyncActivityChangeMessage[];
  nextCursor: string;
  hasMore: boolean;
}

export interface ListMatchesRequest {
  limit: number;
  cursor: string;
}
export interface ListApplicantMatchesRequest extends ListMatchesRequest {
  id: string;
}
export interface ListListingMatchesRequest extends ListMatchesRequest {
  listingId: string;
}
export interface ListingMatchMessage {
  listingId: string;
  reference: string;
  title: string;
  purpose: string;
  /** int64 as a decimal string; absent when the listing has no price. */
  priceFils?: string | null;
  currency: string;
  rentFrequency: string;
  propertyType: string;
  bedrooms?: number | null;
  community: string;
  subCommunity: string;
  score: number;
  reasons: string[];
  computedAt: string;
  lastSharedAt: string;
}
export interface ApplicantMatchMessage {
  applicantId: string;
  firstName: string;
  lastName: string;
  ownerId: string;
  teamId: string;
  status: string;
  score: number;
  reasons: string[];
  computedAt: string;
  lastSharedAt: string;
}
export interface ListApplicantMatchesResponse {
  items: ListingMatchMessage[];
  nextCursor: string;
}
export interface ListListingMatchesResponse {
  items: ApplicantMatchMessage[];
  nextCursor: string;
}
export interface ShareListingsRequest {
  id: string;
  listingIds: string[];
  channel: string;
  note: string;
  idempotencyKey: string;
}
export interface ListingShareMessage {
  id: string;
  applicantId: string;
  listingId: string;
  reference: string;
  title: string;
  channel: string;
  note: string;
  sharedBy: string;
  sharedAt: string;
  timelineEntryId: string;
}
export interface ShareListingsResponse {
  shares: ListingShareMessage[];
  entry: TimelineEntryMessage;
  replayed: boolean;
}
export interface ListListingSharesRequest {
  id: string;
  limit: number;
  cursor: string;
  listingId: string;
}
export interface ListListingSharesResponse {
  items: ListingShareMessage[];
  nextCursor: string;
}

/** The RPCs, for a typed client. */
export interface ApplicantsRpc {
  createApplicant: (request: CreateApplicantRequest) => CreateApplicantResponse;
  updateApplicant: (request: UpdateApplicantRequest) => UpdateApplicantResponse;
  getApplicant: (request: GetApplicantRequest) => GetApplicantResponse;
  listApplicants: (request: ListApplicantsRequest) => ListApplicantsResponse;
  assignApplicant: (request: AssignApplicantRequest) => AssignApplicantResponse;
  changeStatus: (request: ChangeStatusRequest) => ChangeStatusResponse;
  addNote: (request: AddNoteRequest) => AddNoteResponse;
  listTimeline: (request: ListTimelineRequest) => ListTimelineResponse;
  mergeApplicants: (request: MergeApplicantsRequest) => MergeApplicantsResponse;
  listAudit: (request: ListAuditRequest) => ListAuditResponse;
  intakeLead: (request: IntakeLeadRequest) => IntakeLeadResponse;
  claimLead: (request: ClaimLeadRequest) => ClaimLeadResponse;
  setLeadRoster: (request: SetLeadRosterRequest) => LeadRosterResponse;
  getLeadRoster: (request: GetLeadRosterRequest) => LeadRosterResponse;
  syncApplicants: (request: SyncRequest) => SyncApplicantsResponse;
  syncActivities: (request: SyncRequest) => SyncActivitiesResponse;
  listApplicantMatches: (request: ListApplicantMatchesRequest) => ListApplicantMatchesResponse;
  listListingMatches: (request: ListListingMatchesRequest) => ListListingMatchesResponse;
  shareListings: (request: ShareListingsRequest) => ShareListingsResponse;
  listListingShares: (request: ListListingSharesRequest) => ListListingSharesResponse;
}
