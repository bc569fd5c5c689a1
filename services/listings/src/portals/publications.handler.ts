import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { PublicationChanged } from '@pace/contracts';
import type { DomainEvent, EventContext } from '@pace/events';
import { PublicationStatusService } from './publications.service';

/** Portal status reported by syndication, shown beside each listing. */
@Controller()
export class PublicationsHandler {
  constructor(private readonly status: PublicationStatusService) {}

  @EventPattern<string>('syndication.publication-changed.v1')
  async changed(@Payload() event: DomainEvent<PublicationChanged>, @Ctx() _context: EventContext): Promise<void> {
    if (event.payload.publication) await this.status.apply(event.payload.publication, event.occurredAt);
  }
}
