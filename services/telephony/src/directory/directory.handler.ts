import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ApplicantCreated, ApplicantDeleted, ApplicantUpdated } from '@pace/contracts';
import type { DomainEvent, EventContext } from '@pace/events';
import { DirectoryService } from './directory.service';

/** Keeps the phone directory fed from applicant events. */
@Controller()
export class DirectoryHandler {
  constructor(private readonly directory: DirectoryService) {}

  @EventPattern<string>('applicants.applicant-created.v1')
  async created(@Payload() event: DomainEvent<ApplicantCreated>, @Ctx() _context: EventContext): Promise<void> {
    if (event.payload.applicant) await this.directory.project(event.payload.applicant);
  }

  @EventPattern<string>('applicants.applicant-updated.v1')
  async updated(@Payload() event: DomainEvent<ApplicantUpdated>, @Ctx() _context: EventContext): Promise<void> {
    if (event.payload.applicant) await this.directory.project(event.payload.applicant);
  }

  /** Deleted for good (an import rolled back): calls from its numbers no longer pop it up. */
  @EventPattern<string>('applicants.applicant-deleted.v1')
  async deleted(@Payload() event: DomainEvent<ApplicantDeleted>, @Ctx() _context: EventContext): Promise<void> {
    await this.directory.remove(event.payload.applicantId, Number(event.payload.version) || event.aggregateVersion);
  }
}
