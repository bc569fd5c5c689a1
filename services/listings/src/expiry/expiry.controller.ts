import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { type Page, decodeCursor, toPage } from '@pace/database';
import { ANY_ROLE, AdminOnly, Allow } from '@pace/auth';
import { NotFoundError, ZodPipe } from '@pace/http';
import { type NoticeView, type NoticesQuery, noticesQuery } from '@pace/listings-api';
import { z } from 'zod';
import { type Caller, CurrentCaller } from '../common/caller';
import { NoticesRepository } from './notices.repository';
import { PermitSweep, type SweepOutcome } from './permit-sweep';


@Controller()
export class ExpiryController {
  constructor(
    private readonly notices: NoticesRepository,
    private readonly sweep: PermitSweep,
  ) {}

  /** The caller's own notices (e.g. a listing expired with its permit). */
  @Get('listing-notices')
  @Allow({ roles: ANY_ROLE })
  async list(@CurrentCaller() caller: Caller, @Query(new ZodPipe(noticesQuery)) q: NoticesQuery): Promise<Page<NoticeView>> {
    const rows = await this.notices.forAgent(caller.userId, q.limit, q.unread === 'true', q.cursor ? decodeCursor(q.cursor).id : undefined);
    return toPage(
      rows,
      q.limit,
      (n) => ({ after: n.createdAt.toISOString(), id: n.id }),
      (n) => ({ id: n.id, listingId: n.listingId, kind: n.kind, message: n.message, createdAt: n.createdAt.toISOString(), readAt: n.readAt?.toISOString() ?? null }),
    );
  }

  @Post('listing-notices/:id/read')
  @HttpCode(204)
  @Allow({ roles: ANY_ROLE })
  async read(@CurrentCaller() caller: Caller, @Param('id', new ZodPipe(z.uuid())) id: string): Promise<void> {
    if (!(await this.notices.markRead(caller.userId, id, new Date()))) throw new NotFoundError('Notice', id);
  }

  /** Admins may run the daily permit sweep now (it is idempotent). */
  @Post('listing-jobs/permit-sweep')
  @HttpCode(200)
  @AdminOnly()
  run(): Promise<SweepOutcome> {
    return this.sweep.run(new Date(), true);
  }
}
