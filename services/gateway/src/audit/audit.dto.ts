import { z } from 'zod';
import { pageQuery } from '@pace/http';
import { pageOf, responseSchema } from '../api/registry';

export const auditEntryView = responseSchema(
  'AuditEntry',
  'One admin action: who (actorId, null for the system), what (action, target), when, and the target before and after.',
  z.object({
    id: z.uuid(),
    at: z.iso.datetime(),
    actorId: z.uuid().nullable(),
    action: z.string().describe('e.g. user.invited, user.approved, user.updated, user.deactivated, session.revoked, api-token.created, api-token.revoked.'),
    targetType: z.string(),
    targetId: z.string(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    requestId: z.string().nullable(),
  }),
);
export type AuditEntryView = z.infer<typeof auditEntryView>;
export const auditPage = pageOf('AuditEntryPage', auditEntryView, 'audit entries');

export const auditQuery = pageQuery.extend({
  actorId: z.uuid().optional().describe('Only actions by this admin.'),
  targetId: z.string().max(100).optional().describe('Only actions on this user, token, team, session…'),
  action: z.string().max(100).optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;
