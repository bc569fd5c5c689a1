import { randomUUID } from 'node:crypto';
import type { Caller } from '@pace/auth';
import { APPLICANTS_CONTRACT, type ApplicantMessage, type ApplicantsRpc, GrpcServiceClient } from '@pace/rpc';
import { freePort } from './net';

/** Signs caller contexts between services started by tests. A placeholder, not a secret. */
export const TEST_CALLER_SECRET = 'test-only-caller-signing-secret-placeholder';

/** Environment for a domain service serving gRPC in a test: a free port and the tests' secret. */
export async function grpcTestEnv(): Promise<{ GRPC_PORT: string; CALLER_SIGNING_SECRET: string }> {
  return { GRPC_PORT: String(await freePort()), CALLER_SIGNING_SECRET: TEST_CALLER_SECRET };
}

export const testAdmin = (): Caller => ({ kind: 'user', id: randomUUID(), role: 'admin', teamIds: [] });

/**
 * The applicants service over gRPC as the gateway calls it, acting as `caller` (an admin by
 * default), for tests of services that need applicants to exist or change.
 */
export function applicantsOverGrpc(grpcPort: string | number, caller: Caller = testAdmin()) {
  const client = new GrpcServiceClient<ApplicantsRpc>({
    contract: APPLICANTS_CONTRACT,
    service: 'applicants',
    url: `127.0.0.1:${grpcPort}`,
    secret: TEST_CALLER_SECRET,
    deadlineMs: 10_000,
  });
  return {
    client,
    create: async (a: { firstName: string; lastName: string; phones?: string[]; emails?: string[]; ownerId?: string; teamId?: string }, as = caller): Promise<ApplicantMessage> =>
      (
        await client.call(
          'createApplicant',
          { firstName: a.firstName, lastName: a.lastName, phones: a.phones ?? [], emails: a.emails ?? [], ownerId: a.ownerId ?? '', teamId: a.teamId ?? '' },
          as,
        )
      ).applicant,
    update: async (
      id: string,
      c: { version: number; firstName?: string; lastName?: string; phones?: string[]; emails?: string[] },
      as = caller,
    ): Promise<ApplicantMessage> =>
      (
        await client.call(
          'updateApplicant',
          { id, version: c.version, firstName: c.firstName, lastName: c.lastName, phones: c.phones ? { values: c.phones } : null, emails: c.emails ? { values: c.emails } : null },
          as,
        )
      ).applicant,
    get: async (id: string, as = caller): Promise<ApplicantMessage> => (await client.call('getApplicant', { id }, as)).applicant,
    list: (limit = 50, cursor = '', as = caller) => client.call('listApplicants', { limit, cursor }, as),
    close: () => client.close(),
  };
}
