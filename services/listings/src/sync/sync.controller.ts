import { Controller, Get, Query } from '@nestjs/common';
import { Allow } from '@pace/auth';
import type { SyncPage } from '@pace/database';
import { type SyncQuery, ZodPipe, syncQuery } from '@pace/http';
import type { ListingSyncChange } from '@pace/listings-api';
import { type Caller, CurrentCaller } from '../common/caller';
import { SyncService } from './sync.service';

/** `GET /sync/listings`: the change feed, for machine principals (`listings:read`) only. */
@Controller('sync')
export class SyncController {
  constructor(private readonly sync: SyncService) {}

  @Get('listings')
  @Allow({ scopes: ['listings:read'] })
  listings(@CurrentCaller() caller: Caller, @Query(new ZodPipe(syncQuery)) query: SyncQuery): Promise<SyncPage<ListingSyncChange>> {
    return this.sync.listings(caller, query.limit, query.cursor);
  }
}
