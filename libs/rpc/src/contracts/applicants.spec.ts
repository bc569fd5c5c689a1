import { loadSync } from '@grpc/proto-loader';
import {
  APPLICANTS_CONTRACT,
  type AddNoteRequest,
  type AssignApplicantRequest,
  type ApplicantMessage,
  type AuditEntryMessage,
  type ChangeStatusRequest,
  type ClaimLeadRequest,
  type CreateApplicantRequest,
  type CreateApplicantResponse,
  type IntakeLeadRequest,
  type ApplicantMatchMessage,
  type ListApplicantMatchesRequest,
  type ListApplicantMatchesResponse,
  type ListListingMatchesRequest,
  type ListListingMatchesResponse,
  type ListingMatchMessage,
  type ListListingSharesRequest,
  type ListListingSharesResponse,
  type ListingShareMessage,
  type ShareListingsRequest,
  type ShareListingsResponse,
  type IntakeLeadResponse,
  type LeadRosterMessage,
  type ListAuditRequest,
  type ListTimelineRequest,
  type MergeApplicantsRequest,
  type RequirementsMessage,
  type RosterAgentMessage,
  type SetLeadRosterRequest,
  type SyncActivitiesResponse,
  type SyncActivityChangeMessage,
  type SyncApplicantChangeMessage,
  type SyncApplicantsResponse,
  type SyncRequest,
  type SyncTombstoneMessage,
  type TimelineEntryMessage,
  type GetApplicantRequest,
  type ListApplicantsRequest,
  type ListApplicantsResponse,
  type UpdateApplicantRequest,
  protoLoaderOptions,
  protoRoot,
} from '@pace/rpc';

// The TypeScript view of the contract is written by hand; this keeps it equal to the .proto.
// Each sample is type-checked against its interface (every key, no extra), and its keys are
// compared with the message's fields as @grpc/proto-loader names them.
const definition = loadSync(APPLICANTS_CONTRACT.file, { ...protoLoaderOptions, includeDirs: [protoRoot()] });

function fieldsOf(message: string): string[] {
  const type = definition[`${APPLICANTS_CONTRACT.package}.${message}`] as { type: { field: { name: string }[] } };
  return type.type.field.map((f) => f.name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())).sort();
}

const samples: Record<string, object> = {
  Applicant: {
    id: '', firstName: '', lastName: '', phones: [], emails: [], ownerId: '', teamId: '', createdAt: '', updatedAt: '', version: 0,
    status: '', source: '', tags: [], preferredLanguage: '', nationality: '', whatsappOptIn: false, emailOptIn: false, requirements: null, mergedInto: '', lostReason: '',
  } satisfies Required<ApplicantMessage>,
  Requirements: {
    intent: '', propertyTypes: [], bedroomsMin: null, bedroomsMax: null, budgetMinFils: null, budgetMaxFils: null, communities: [], furnishing: '', moveInDate: '',
  } satisfies Required<RequirementsMessage>,
  CreateApplicantRequest: {
    firstName: '', lastName: '', phones: [], emails: [], ownerId: '', teamId: '',
    source: '', tags: [], preferredLanguage: '', nationality: '', whatsappOptIn: false, emailOptIn: false, requirements: null, note: '',
  } satisfies Required<CreateApplicantRequest>,
  CreateApplicantResponse: { applicant: {} as ApplicantMessage, matched: false } satisfies Required<CreateApplicantResponse>,
  UpdateApplicantRequest: {
    id: '', version: 0, firstName: '', lastName: '', phones: null, emails: null,
    tags: null, preferredLanguage: '', nationality: '', whatsappOptIn: false, emailOptIn: false, requirements: null,
  } satisfies Required<UpdateApplicantRequest>,
  GetApplicantRequest: { id: '' } satisfies Required<GetApplicantRequest>,
  ListApplicantsRequest: {
    limit: 0, cursor: '', q: '', statuses: [], sources: [], ownerId: '', teamId: '', tags: [], budgetFils: null, bedrooms: null, sort: '',
  } satisfies Required<ListApplicantsRequest>,
  AssignApplicantRequest: { id: '', version: 0, ownerId: '', teamId: '' } satisfies Required<AssignApplicantRequest>,
  ChangeStatusRequest: { id: '', version: 0, status: '', reason: '' } satisfies Required<ChangeStatusRequest>,
  TimelineEntry: { id: '', applicantId: '', kind: '', at: '', actorId: '', summary: '', dataJson: '' } satisfies Required<TimelineEntryMessage>,
  AddNoteRequest: { id: '', text: '' } satisfies Required<AddNoteRequest>,
  ListTimelineRequest: { id: '', limit: 0, cursor: '' } satisfies Required<ListTimelineRequest>,
  MergeApplicantsRequest: { survivorId: '', mergedId: '', survivorVersion: 0 } satisfies Required<MergeApplicantsRequest>,
  AuditEntry: { id: '', applicantId: '', action: '', actorId: '', actorRole: '', at: '', beforeJson: '', afterJson: '' } satisfies Required<AuditEntryMessage>,
  ListAuditRequest: { applicantId: '', limit: 0, cursor: '' } satisfies Required<ListAuditRequest>,
  IntakeLeadRequest: {
    source: '', portalLeadId: '', channel: '', listingReference: '', listingId: '', senderName: '', phones: [], emails: [], message: '',
  } satisfies Required<IntakeLeadRequest>,
  IntakeLeadResponse: { applicant: {} as ApplicantMessage, matched: false, replayed: false } satisfies Required<IntakeLeadResponse>,
  ClaimLeadRequest: { applicantId: '' } satisfies Required<ClaimLeadRequest>,
  RosterAgent: { agentId: '', active: false, lastAssignedAt: '' } satisfies Required<RosterAgentMessage>,
  LeadRoster: { teamId: '', agents: [], sources: [] } satisfies Required<LeadRosterMessage>,
  SetLeadRosterRequest: { teamId: '', agentIds: [], sources: [] } satisfies Required<SetLeadRosterRequest>,
  ListApplicantsResponse: { items: [], nextCursor: '' } satisfies Required<ListApplicantsResponse>,
  SyncApplicantsRequest: { limit: 0, cursor: '' } satisfies Required<SyncRequest>,
  SyncActivitiesRequest: { limit: 0, cursor: '' } satisfies Required<SyncRequest>,
  SyncTombstone: { kind: '', mergedInto: '' } satisfies Required<SyncTombstoneMessage>,
  SyncApplicantChange: { id: '', updatedAt: '', applicant: null, tombstone: null } satisfies Required<SyncApplicantChangeMessage>,
  SyncApplicantsResponse: { items: [], nextCursor: '', hasMore: false } satisfies Required<SyncApplicantsResponse>,
  SyncActivityChange: { id: '', updatedAt: '', entry: null, tombstone: null } satisfies Required<SyncActivityChangeMessage>,
  SyncActivitiesResponse: { items: [], nextCursor: '', hasMore: false } satisfies Required<SyncActivitiesResponse>,
  ListApplicantMatchesRequest: { id: '', limit: 0, cursor: '' } satisfies Required<ListApplicantMatchesRequest>,
  ListListingMatchesRequest: { listingId: '', limit: 0, cursor: '' } satisfies Required<ListListingMatchesRequest>,
  ListingMatch: {
    listingId: '', reference: '', title: '', purpose: '', priceFils: null, currency: '', rentFrequency: '', propertyType: '', bedrooms: null, community: '', subCommunity: '',
    score: 0, reasons: [], computedAt: '', lastSharedAt: '',
  } satisfies Required<ListingMatchMessage>,
  ApplicantMatch: { applicantId: '', firstName: '', lastName: '', ownerId: '', teamId: '', status: '', score: 0, reasons: [], computedAt: '', lastSharedAt: '' } satisfies Required<ApplicantMatchMessage>,
  ListApplicantMatchesResponse: { items: [], nextCursor: '' } satisfies Required<ListApplicantMatchesResponse>,
  ListListingMatchesResponse: { items: [], nextCursor: '' } satisfies Required<ListListingMatchesResponse>,
  ShareListingsRequest: { id: '', listingIds: [], channel: '', note: '', idempotencyKey: '' } satisfies Required<ShareListingsRequest>,
  ListingShare: {
    id: '', applicantId: '', listingId: '', reference: '', title: '', channel: '', note: '', sharedBy: '', sharedAt: '', timelineEntryId: '',
  } satisfies Required<ListingShareMessage>,
  ShareListingsResponse: { shares: [], entry: {} as TimelineEntryMessage, replayed: false } satisfies Required<ShareListingsResponse>,
  ListListingSharesRequest: { id: '', limit: 0, cursor: '', listingId: '' } satisfies Required<ListListingSharesRequest>,
  ListListingSharesResponse: { items: [], nextCursor: '' } satisfies Required<ListListingSharesResponse>,
};

describe('applicants gRPC contract', () => {
  it.each(Object.entries(samples))('%s has the fields of the .proto', (message, sample) => {
    expect(Object.keys(sample).sort()).toEqual(fieldsOf(message));
  });

  it('offers the RPCs the client types name', () => {
    const service = definition[`${APPLICANTS_CONTRACT.package}.${APPLICANTS_CONTRACT.service}`] as Record<string, { originalName: string }>;
    expect(Object.values(service).map((m) => m.originalName).sort()).toEqual(
      ['addNote', 'assignApplicant', 'changeStatus', 'claimLead', 'createApplicant', 'getApplicant', 'getLeadRoster', 'intakeLead', 'listApplicantMatches', 'listApplicants', 'listAudit', 'listListingMatches', 'listListingShares', 'listTimeline', 'mergeApplicants', 'setLeadRoster', 'shareListings', 'syncActivities', 'syncApplicants', 'updateApplicant'],
    );
  });
});
