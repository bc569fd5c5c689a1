import { Injectable } from '@nestjs/common';
import { type SyncPage, type SyncPosition, checkSyncPosition, decodeSyncCursor, mergeSyncStreams } from '@pace/database';
import type { ApplicantView, TimelineEntryView } from '../applicants/applicant.dto';
import { view } from '../applicants/applicant.view';
import { entryView } from '../applicants/applicants.service';
import { SyncRepository } from './sync.repository';

export type Gone = { kind: 'deleted' | 'merged'; mergedInto: string | null };

/** One change of a feed: the record as it is now, or its tombstone. */
export type Change<T> = { id: string; updatedAt: string; position: SyncPosition } & ({ record: T; gone: null } | { record: null; gone: Gone });

export const APPLICANTS_FEED = 'applicants';
export const ACTIVITIES_FEED = 'activities';

/**
 * The change feeds for machine clients. Each page reads the horizon once, then the live rows and
 * the tombstones after the cursor below it, and merges the two streams; see @pace/database's
 * sync.ts for why this never misses a change. Machine principals read every record (applicants:read),
 * so no visibility filter applies.
 */
@Injectable()
export class SyncService {
  constructor(private readonly sync: SyncRepository) {}

  async applicants(limit: number, cursor?: string): Promise<SyncPage<Change<ApplicantView>>> {
    const after = decodeSyncCursor(APPLICANTS_FEED, cursor);
    const horizon = await this.sync.horizon();
    checkSyncPosition(after, horizon);
    const [live, removed] = await Promise.all([this.sync.applicants(after, horizon, limit), this.sync.tombstones('applicant', after, horizon, limit)]);
    const changes: Change<ApplicantView>[] = [
      ...live.map(({ seq, row }): Change<ApplicantView> => {
        const position = { seq, id: row.id };
        const updatedAt = row.updatedAt.toISOString();
        // A merged applicant stays a row here (reads follow `mergedInto`); to a copy kept elsewhere it is gone.
        return row.mergedInto
          ? { id: row.id, updatedAt, position, record: null, gone: { kind: 'merged', mergedInto: row.mergedInto } }
          : { id: row.id, updatedAt, position, record: view(row), gone: null };
      }),
      ...removed.map(({ seq, row }): Change<ApplicantView> => ({
        id: row.id,
        updatedAt: row.removedAt.toISOString(),
        position: { seq, id: row.id },
        record: null,
        gone: row.mergedInto ? { kind: 'merged', mergedInto: row.mergedInto } : { kind: 'deleted', mergedInto: null },
      })),
    ];
    return mergeSyncStreams(APPLICANTS_FEED, after, [changes], (c) => c.position, limit);
  }

  async activities(limit: number, cursor?: string): Promise<SyncPage<Change<TimelineEntryView>>> {
    const after = decodeSyncCursor(ACTIVITIES_FEED, cursor);
    const horizon = await this.sync.horizon();
    checkSyncPosition(after, horizon);
    const [live, removed] = await Promise.all([this.sync.activities(after, horizon, limit), this.sync.tombstones('timeline_entry', after, horizon, limit)]);
    const changes: Change<TimelineEntryView>[] = [
      ...live.map(({ seq, row }): Change<TimelineEntryView> => ({ id: row.id, updatedAt: row.updatedAt.toISOString(), position: { seq, id: row.id }, record: entryView(row), gone: null })),
      ...removed.map(({ seq, row }): Change<TimelineEntryView> => ({
        id: row.id,
        updatedAt: row.removedAt.toISOString(),
        position: { seq, id: row.id },
        record: null,
        gone: { kind: 'deleted', mergedInto: null },
      })),
    ];
    return mergeSyncStreams(ACTIVITIES_FEED, after, [changes], (c) => c.position, limit);
  }
}
