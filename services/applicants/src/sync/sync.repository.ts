import { Injectable } from '@nestjs/common';
import { Db, type Positioned, SyncReader, type SyncPosition } from '@pace/database';
import { ApplicantEntity } from '../applicants/applicant.entity';
import { TimelineEntryEntity } from '../timeline/timeline.entity';

/** The applicants and activities feeds' rows (the SQL is `@pace/database`'s SyncReader). */
@Injectable()
export class SyncRepository extends SyncReader {
  constructor(db: Db) {
    super(db);
  }

  applicants(after: SyncPosition, horizon: string, limit: number): Promise<Positioned<ApplicantEntity>[]> {
    return this.rowsAfter(ApplicantEntity, 'a', after, horizon, limit);
  }

  activities(after: SyncPosition, horizon: string, limit: number): Promise<Positioned<TimelineEntryEntity>[]> {
    return this.rowsAfter(TimelineEntryEntity, 't', after, horizon, limit);
  }
}
