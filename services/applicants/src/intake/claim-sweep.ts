import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APPLICANTS_CONFIG, type ApplicantsConfig } from '../config';
import { IntakeService } from './intake.service';

/**
 * Every LEADS_SWEEP_EVERY_MS, on every replica: leads not claimed by their deadline move to the
 * next agent. Replicas need no coordination: each takes due leads with FOR UPDATE SKIP LOCKED,
 * so they share the work and never move one lead twice.
 */
@Injectable()
export class ClaimSweep implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('claim-sweep');
  private timer?: NodeJS.Timeout;
  private current?: Promise<unknown>;
  private stopping = false;

  constructor(
    private readonly intake: IntakeService,
    @Inject(APPLICANTS_CONFIG) private readonly config: ApplicantsConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.LEADS_SWEEP_EVERY_MS;
    if (!every) return;
    this.timer = setInterval(() => {
      if (this.current || this.stopping) return;
      this.current = this.intake
        .reassignDue()
        .catch((error: unknown) => this.logger.error({ err: error }, 'claim sweep failed; will retry at the next tick'))
        .finally(() => (this.current = undefined));
    }, every);
    this.timer.unref();
  }

  /** Before the database closes: no new run, and the one in progress finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.current;
  }
}
