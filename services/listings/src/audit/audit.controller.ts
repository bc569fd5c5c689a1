import { Controller, Get, Query } from '@nestjs/common';
import { type Page, decodeCursor, toPage } from '@pace/database';
import { AdminOnly } from '@pace/auth';
import { ZodPipe, pageQuery } from '@pace/http';
import { z } from 'zod';
import { AuditRepository } from './audit.repository';

const auditQuery = pageQuery.extend({
  listingId: z.uuid().optional(),
  actorId: z.string().min(1).max(64).optional(),
  action: z.string().min(1).max(64).optional(),
});

export interface AuditView {
  id: string;
  listingId: string;
  action: string;
  actor: { id: string; role: string };
  at: string;
  before: unknown;
  after: unknown;
  comment: string | null;
}

/** The audit trail of listing mutations: Admins only. */
@Controller('listing-audit')
@AdminOnly()
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  async list(@Query(new ZodPipe(auditQuery)) q: z.infer<typeof auditQuery>): Promise<Page<AuditView>> {
    const beforeId = q.cursor ? String(decodeCursor(q.cursor).id) : undefined;
    const rows = await this.audit.list({ listingId: q.listingId, actorId: q.actorId, action: q.action, beforeId }, q.limit);
    return toPage(
      rows,
      q.limit,
      (r) => ({ after: r.at.toISOString(), id: r.id }),
      (r) => ({
        id: r.id,
        listingId: r.listingId,
        action: r.action,
        actor: { id: r.actorId, role: r.actorRole },
        at: r.at.toISOString(),
        before: r.before,
        after: r.after,
        comment: r.comment,
      }),
    );
  }
}
