import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { LeadReceived } from '@pace/contracts';
import type { DomainEvent, EventContext } from '@pace/events';
import { ValidationError } from '@pace/http';
import { leadInput } from '../applicants/applicant.dto';
import { IntakeService } from './intake.service';

const empty = (s: string) => (s ? s : undefined);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Property Finder leads (and any portal lead syndication receives) arrive as `syndication.lead-received.v1`. */
@Controller()
export class IntakeHandler {
  private readonly logger = new Logger('lead-intake');

  constructor(private readonly intake: IntakeService) {}

  @EventPattern<string>('syndication.lead-received.v1')
  async received(@Payload() event: DomainEvent<LeadReceived>, @Ctx() _context: EventContext): Promise<void> {
    const lead = event.payload.lead;
    if (!lead) {
      this.logger.warn(`lead-received ${event.eventId} has no lead; ignored`);
      return;
    }
    const parsed = leadInput.safeParse({
      source: lead.source,
      portalLeadId: lead.portalLeadId,
      channel: empty(lead.channel),
      listingReference: empty(lead.listingReference),
      // An id we cannot read must not cost us the lead: keep the reference, drop the id.
      listingId: UUID.test(lead.listingId) ? lead.listingId : undefined,
      senderName: empty(lead.senderName),
      phones: lead.phones,
      emails: lead.emails,
      message: empty(lead.message),
    });
    if (!parsed.success) {
      // Retrying cannot make a lead without a way to reach the person usable: log it and move on.
      const problems = new ValidationError(parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }))).errors;
      this.logger.warn({ problems }, `lead ${lead.source}/${lead.portalLeadId} (event ${event.eventId}) cannot be taken in; dropped`);
      return;
    }
    const result = await this.intake.intake(parsed.data, { id: null, role: 'system' });
    this.logger.log(`lead ${lead.source}/${lead.portalLeadId} → applicant ${result.applicant.id}${result.matched ? ' (matched)' : ''}${result.replayed ? ' (replayed)' : ''}`);
  }
}
