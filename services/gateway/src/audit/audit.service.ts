import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { type Page, decodeCursor, toPage } from '@pace/database';
import { currentLogContext } from '@pace/logging';
import type { AuditEntryEntity } from './audit-entry.entity';
import { type AuditFilter, AuditRepository } from './audit.repository';
import type { AuditEntryView } from './audit.dto';

export interface AuditRecord {
  /** The admin (user id), or null for the system. */
  actorId: string | null;
  action: string;
  targetType: 'user' | 'team' | 'session' | 'service-principal' | 'api-token';
  targetId: string;
  before?: object | null;
  after?: object | null;
}

function view(e: AuditEntryEntity): AuditEntryView {
  return {
    id: e.id,
    at: e.at.toISOString(),
    actorId: e.actorId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    before: e.before,
    after: e.after,
    requestId: e.requestId,
  };
}

/** The admin audit log. `record` joins the caller's transaction, so the entry and the change commit together. */
@Injectable()
export class AuditService {
  constructor(private readonly entries: AuditRepository) {}

  record(record: AuditRecord): Promise<void> {
    return this.entries.insert({
      id: uuidv7(),
      at: new Date(),
      actorId: record.actorId,
      action: record.action,
      targetType: record.targetType,
      targetId: record.targetId,
      before: (record.before ?? null) as Record<string, unknown> | null,
      after: (record.after ?? null) as Record<string, unknown> | null,
      requestId: currentLogContext()?.requestId ?? null,
    });
  }

  async list(filter: AuditFilter, limit: number, cursor?: string): Promise<Page<AuditEntryView>> {
    const rows = await this.entries.list(filter, limit, cursor ? decodeCursor(cursor) : undefined);
    return toPage(rows, limit, (e) => ({ after: e.at.toISOString(), id: e.id }), view);
  }
}
