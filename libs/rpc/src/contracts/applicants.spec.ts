import { loadSync } from '@grpc/proto-loader';
import {
  APPLICANTS_CONTRACT,
  type ApplicantMessage,
  type CreateApplicantRequest,
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
  Applicant: { id: '', firstName: '', lastName: '', phones: [], emails: [], ownerId: '', teamId: '', createdAt: '', updatedAt: '', version: 0 } satisfies Required<ApplicantMessage>,
  CreateApplicantRequest: { firstName: '', lastName: '', phones: [], emails: [], ownerId: '', teamId: '' } satisfies Required<CreateApplicantRequest>,
  UpdateApplicantRequest: { id: '', version: 0, firstName: '', lastName: '', phones: null, emails: null } satisfies Required<UpdateApplicantRequest>,
  GetApplicantRequest: { id: '' } satisfies Required<GetApplicantRequest>,
  ListApplicantsRequest: { limit: 0, cursor: '' } satisfies Required<ListApplicantsRequest>,
  ListApplicantsResponse: { items: [], nextCursor: '' } satisfies Required<ListApplicantsResponse>,
};

describe('applicants gRPC contract', () => {
  it.each(Object.entries(samples))('%s has the fields of the .proto', (message, sample) => {
    expect(Object.keys(sample).sort()).toEqual(fieldsOf(message));
  });

  it('offers the RPCs the client types name', () => {
    const service = definition[`${APPLICANTS_CONTRACT.package}.${APPLICANTS_CONTRACT.service}`] as Record<string, { originalName: string }>;
    expect(Object.values(service).map((m) => m.originalName).sort()).toEqual(['createApplicant', 'getApplicant', 'listApplicants', 'updateApplicant']);
  });
});
