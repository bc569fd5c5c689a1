import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db } from '@pace/database';
import { LISTINGS_CONFIG, type ListingsConfig } from '../config';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { PERMIT_RULES, dubaiToday } from '../lifecycle/publishability';
import { ListingsRepository } from '../listings/listings.repository';
import { JobRunEntity, NoticeEntity } from './notice.entity';

const JOB = 'permit-sweep';
const BATCH = 200;

export type SweepOutcome =
  | { ran: true; day: string; expired: { id: string; reference: string }[] }
  | { ran: false; why: 'another replica is running it' | 'not due yet' };

/**
 * Once a day, takes published listings whose permit lapsed off the portals (status `expired`)
 * and leaves their agent a notice. Every replica checks hourly; a transaction-scoped advisory
 * lock lets one run at a time, and `job_run` makes "once a day" hold across replicas.
 */
@Injectable()
export class PermitSweep implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('permit-sweep');
  private timers: NodeJS.Timeout[] = [];
  private current?: Promise<unknown>;
  private stopping = false;

  constructor(
    private readonly db: Db,
    private readonly listings: ListingsRepository,
    private readonly lifecycle: LifecycleService,
    @Inject(LISTINGS_CONFIG) private readonly config: ListingsConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.LISTINGS_PERMIT_SWEEP_CHECK_MS;
    if (!every) return;
    const tick = () => {
      if (this.current || this.stopping) return;
      this.current = this.run()
        .then((outcome) => {
          if (outcome.ran && outcome.expired.length) this.logger.log(`expired ${outcome.expired.length} listing(s) whose permit lapsed`);
        })
        .catch((error: unknown) => this.logger.error({ err: error }, 'permit sweep failed; will retry at the next check'))
        .finally(() => (this.current = undefined));
    };
    // First check shortly after start (not during it), then every `every` ms.
    this.timers = [setTimeout(tick, Math.min(every, 10_000)), setInterval(tick, every)];
    for (const timer of this.timers) timer.unref();
  }

  /** Before the database closes: no new run, and the one in progress finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    await this.current;
  }

  /** Runs the sweep if it is due (or `force`d) and no other replica is running it. */
  async run(now = new Date(), force = false): Promise<SweepOutcome> {
    return this.db.transaction(async (manager) => {
      const [{ locked }] = (await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [`pace-listings:${JOB}`])) as { locked: boolean }[];
      if (!locked) return { ran: false, why: 'another replica is running it' };
      const jobs = manager.getRepository(JobRunEntity);
      const last = await jobs.findOneBy({ name: JOB });
      // A little slack, so an hourly check does not drift the daily run an hour later each day.
      const due = !last || now.getTime() - last.lastRunAt.getTime() >= this.config.LISTINGS_PERMIT_SWEEP_EVERY_MS - 5 * 60_000;
      if (!due && !force) return { ran: false, why: 'not due yet' };
      await jobs.save({ name: JOB, lastRunAt: now });
      const day = dubaiToday(now);
      const expired: { id: string; reference: string }[] = [];
      for (;;) {
        const lapsed = await this.listings.publishedWithLapsedPermit(Object.keys(PERMIT_RULES), day, BATCH);
        if (!lapsed.length) break;
        for (const listing of lapsed) {
          await this.lifecycle.expire(listing.id, now);
          await manager.getRepository(NoticeEntity).insert({
            id: uuidv7(),
            agentId: listing.agentId,
            listingId: listing.id,
            kind: 'permit-expired',
            message:
              `Listing ${listing.reference} (${listing.community}) was taken off the portals: its permit ${listing.permitNumber ?? ''} ` +
              `expired on ${listing.permitExpiryDate ?? '?'}. Renew the permit, relist it and submit it for approval again.`,
            createdAt: now,
            readAt: null,
          });
          expired.push({ id: listing.id, reference: listing.reference });
        }
      }
      return { ran: true, day, expired };
    });
  }
}
