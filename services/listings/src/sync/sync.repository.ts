import { Injectable } from '@nestjs/common';
import { Db, type Positioned, SyncReader, type SyncPosition } from '@pace/database';
import { ListingEntity } from '../listings/listing.entity';

/** The listings feed's rows (the SQL is `@pace/database`'s SyncReader). */
@Injectable()
export class SyncRepository extends SyncReader {
  constructor(db: Db) {
    super(db);
  }

  listings(after: SyncPosition, horizon: string, limit: number): Promise<Positioned<ListingEntity>[]> {
    return this.rowsAfter(ListingEntity, 'l', after, horizon, limit);
  }
}
