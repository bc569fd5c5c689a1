import { Injectable, Logger } from '@nestjs/common';
import { Db } from '@pace/database';
import { NotFoundError, VersionConflictError } from '@pace/http';
import { AuditRepository } from '../audit/audit.repository';
import { IntakeRepository } from '../intake/intake.repository';
import { MatchingService } from '../matching/matching.service';
import { SharesRepository } from '../shares/shares.repository';
import { TimelineRepository } from '../timeline/timeline.repository';
import type { ApplicantEntity } from './applicant.entity';
import { ApplicantEvents } from './applicant.events';
import type { ApplicantView, MergeApplicants } from './applicant.dto';
import { MergeError } from './applicant.model';
import { actorOf, auditState, view } from './applicant.view';
import { ApplicantsRepository } from './applicants.repository';

const union = <T>(a: T[], b: T[]) => [...new Set([...a, ...b])];

/**
 * Two records that are one person. The survivor keeps its identity, owner and version line and
 * takes the other's contacts, tags and any requirement it lacks; both timelines become one
 * stream (entries keep their time order and remember their origin); the other record stays as a
 * tombstone pointing at the survivor, without contacts, so duplicate detection and projections
 * (telephony's phone directory) find only the survivor.
 */
@Injectable()
export class MergeService {
  private readonly logger = new Logger('merge');

  constructor(
    private readonly db: Db,
    private readonly applicants: ApplicantsRepository,
    private readonly timeline: TimelineRepository,
    private readonly audit: AuditRepository,
    private readonly leads: IntakeRepository,
    private readonly events: ApplicantEvents,
    private readonly matching: MatchingService,
    private readonly shares: SharesRepository,
  ) {}

  async merge(input: MergeApplicants): Promise<ApplicantView> {
    const actor = actorOf();
    return this.db.transaction(async () => {
      // Rows locked in id order, so two merges of the same pair cannot deadlock.
      const locked = new Map<string, ApplicantEntity | null>();
      for (const id of [input.survivorId, input.mergedId].sort()) locked.set(id, await this.applicants.findForUpdate(id));
      const survivor = locked.get(input.survivorId);
      const merged = locked.get(input.mergedId);
      if (!survivor) throw new NotFoundError('Applicant', input.survivorId);
      if (!merged) throw new NotFoundError('Applicant', input.mergedId);
      if (survivor.mergedInto) throw new MergeError('applicant-merged-already', `Applicant ${survivor.id} was merged into ${survivor.mergedInto}; merge into that one.`);
      if (merged.mergedInto) throw new MergeError('applicant-merged-already', `Applicant ${merged.id} was already merged into ${merged.mergedInto}.`);
      if (survivor.version !== input.survivorVersion) throw new VersionConflictError('Applicant', survivor.id, input.survivorVersion, survivor.version);

      const beforeSurvivor = auditState(survivor);
      const beforeMerged = auditState(merged);
      survivor.phones = union(survivor.phones, merged.phones);
      survivor.emails = union(survivor.emails, merged.emails);
      survivor.tags = union(survivor.tags, merged.tags);
      survivor.communities = union(survivor.communities, merged.communities);
      survivor.propertyTypes = union(survivor.propertyTypes, merged.propertyTypes);
      for (const key of ['preferredLanguage', 'nationality', 'intent', 'bedroomsMin', 'bedroomsMax', 'budgetMinFils', 'budgetMaxFils', 'furnishing', 'moveInDate'] as const) {
        if (survivor[key] === null) (survivor as unknown as Record<string, unknown>)[key] = merged[key];
      }
      survivor.whatsappOptIn ||= merged.whatsappOptIn;
      survivor.emailOptIn ||= merged.emailOptIn;
      merged.mergedInto = survivor.id;
      merged.phones = [];
      merged.emails = [];

      const tomb = await this.applicants.save(merged);
      const kept = await this.applicants.save(survivor);
      const moved = await this.timeline.moveAll(tomb.id, kept.id);
      await this.leads.repointLeads(tomb.id, kept.id);
      await this.shares.moveAll(tomb.id, kept.id);
      await this.timeline.add(kept.id, actor, {
        kind: 'merged',
        summary: `Merged ${merged.firstName} ${merged.lastName} (${tomb.id}) into this applicant`,
        data: { mergedId: tomb.id, entriesMoved: moved },
      });
      await this.audit.record(kept.id, actor, 'merge', beforeSurvivor, auditState(kept));
      await this.audit.record(tomb.id, actor, 'merged', beforeMerged, auditState(tomb));
      // Consumers that only follow snapshots converge (the tombstone loses its contacts); those
      // that know merges follow the tombstone to the survivor.
      await this.events.updated(tomb);
      await this.events.updated(kept);
      await this.events.merged(kept, tomb, actor.id);
      // The tombstone's matches go; the survivor's are recomputed with the requirements it took.
      await this.matching.recomputeApplicant(tomb);
      await this.matching.recomputeApplicant(kept);
      this.logger.log(`merged applicant ${tomb.id} into ${kept.id} (${moved} timeline entries moved)`);
      return view(kept);
    });
  }
}
