import { Controller, Get } from '@nestjs/common';
import { AdminOnly } from '@pace/auth';
import type { Page } from '@pace/database';
import { Endpoint } from '../api/endpoint';
import { ZodQuery } from '../api/params';
import { type AuditEntryView, type AuditQuery, auditPage, auditQuery } from './audit.dto';
import { AuditService } from './audit.service';

@Controller('api/v1/admin/audit-log')
@AdminOnly()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Endpoint({ tag: 'admin', summary: 'Query the admin audit log', response: auditPage, errors: [400, 401, 403] })
  list(@ZodQuery(auditQuery) query: AuditQuery): Promise<Page<AuditEntryView>> {
    return this.audit.list({ actorId: query.actorId, targetId: query.targetId, action: query.action }, query.limit, query.cursor);
  }
}
