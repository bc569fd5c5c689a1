import { create } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import { ApplicantMatchesChangedSchema } from '@pace/contracts';
import { Outbox } from '@pace/events';
import type { MatchDiff } from './matching.rules';
import type { TopMatch } from './matching.repository';

/** `applicants.matches-changed.v1`, written to the outbox in the recompute's transaction. */
@Injectable()
export class MatchingEvents {
  constructor(private readonly outbox: Outbox) {}

  async changed(applicantId: string, version: number, change: MatchDiff, top: TopMatch[], cause: 'listing' | 'applicant'): Promise<void> {
    await this.outbox.publish({
      schema: ApplicantMatchesChangedSchema,
      payload: create(ApplicantMatchesChangedSchema, {
        applicantId,
        addedListingIds: change.added,
        removedListingIds: change.removed,
        rescoredListingIds: change.rescored,
        topMatches: top.map((m) => ({ listingId: m.listingId, listingReference: m.reference, score: m.score, reasons: m.reasons })),
        cause,
      }),
      aggregateId: applicantId,
      aggregateVersion: version,
    });
  }
}
