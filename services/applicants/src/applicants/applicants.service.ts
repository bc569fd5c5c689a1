import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { requireCaller } from '@pace/auth';
import { Db, type Page, decodeCursor, toPage } from '@pace/database';
import { NotFoundError, VersionConflictError } from '@pace/http';
import { AuditRepository } from '../audit/audit.repository';
import { MatchingService } from '../matching/matching.service';
import { TimelineRepository } from '../timeline/timeline.repository';
import type { ApplicantEntity } from './applicant.entity';
import { ApplicantEvents } from './applicant.events';
import type { ApplicantView, ChangeStatus, CreateApplicant, SearchQuery, TimelineEntryView, UpdateApplicant } from './applicant.dto';
import { DuplicateApplicantError, StatusTransitionError, type Status, canMove } from './applicant.model';
import { actorOf, auditState, requirementColumns, view } from './applicant.view';
import { ApplicantsRepository, isVisible } from './applicants.repository';
import { ApplicantsSearch } from './applicants.search';
import { assignOwnership } from './ownership';

export interface Created {
  applicant: ApplicantView;
  /** True when an existing applicant with one of the contacts was returned instead of a twin. */
  matched: boolean;
}

export function entryView(e: { id: string; applicantId: string; kind: string; at: Date; actorId: string | null; summary: string; data: Record<string, unknown> }): TimelineEntryView {
  return { id: e.id, applicantId: e.applicantId, kind: e.kind, at: e.at.toISOString(), actorId: e.actorId, summary: e.summary, data: e.data };
}

@Injectable()
export class ApplicantsService {
  private readonly logger = new Logger('applicants');

  constructor(
    private readonly db: Db,
    private readonly applicants: ApplicantsRepository,
    private readonly search: ApplicantsSearch,
    private readonly timeline: TimelineRepository,
    private readonly audit: AuditRepository,
    private readonly events: ApplicantEvents,
    private readonly matching: MatchingService,
  ) {}

  /**
   * Creates the applicant, its timeline entry, audit row and `applicant-created` event in one
   * transaction — unless a live applicant already has one of the phones or emails: then that one
   * is returned (`matched`) if the caller may see it, and a conflict naming it if not.
   */
  async create(input: CreateApplicant): Promise<Created> {
    const caller = requireCaller();
    const ownership = assignOwnership(caller, input);
    const actor = actorOf(caller);
    return this.db.transaction(async () => {
      await this.applicants.lockContacts(input.phones, input.emails);
      const [existing] = await this.applicants.findByContacts(input.phones, input.emails);
      if (existing) {
        if (!isVisible(existing)) throw new DuplicateApplicantError(existing.id);
        this.logger.log(`create matched existing applicant ${existing.id}; returned it instead of a twin`);
        return { applicant: view(existing), matched: true };
      }
      const { requirements, note, ownerId: _o, teamId: _t, ...fields } = input;
      const applicant = await this.applicants.insert({
        id: uuidv7(),
        ...fields,
        ...requirementColumns(requirements),
        ...ownership,
        status: 'new',
        lostReason: null,
        mergedInto: null,
      });
      await this.timeline.add(applicant.id, actor, { kind: 'created', summary: `Applicant created (${applicant.source})`, data: { source: applicant.source } });
      if (note) {
        const entry = await this.timeline.add(applicant.id, actor, { kind: 'note', summary: note.slice(0, 200), data: { text: note } });
        await this.events.noteAdded(applicant, entry.id, actor.id);
      }
      await this.audit.record(applicant.id, actor, 'create', null, auditState(applicant));
      await this.events.created(applicant);
      await this.matching.recomputeApplicant(applicant);
      return { applicant: view(applicant), matched: false };
    });
  }

  /** Applies a partial change if the client edited the current version; emits `applicant-updated`. */
  async update(id: string, changes: UpdateApplicant): Promise<ApplicantView> {
    const actor = actorOf();
    return this.db.transaction(async () => {
      const current = await this.locked(id, changes.version);
      const before = auditState(current);
      const { version: _version, requirements, ...fields } = changes;
      Object.assign(current, fields, requirements ? requirementColumns(requirements) : {});
      const applicant = await this.applicants.save(current);
      await this.audit.record(applicant.id, actor, 'update', before, auditState(applicant));
      await this.events.updated(applicant);
      await this.matching.recomputeApplicant(applicant);
      return view(applicant);
    });
  }

  /** Moves the applicant along the pipeline; a timeline entry and `applicant-status-changed`. */
  async changeStatus(id: string, change: ChangeStatus): Promise<ApplicantView> {
    const actor = actorOf();
    return this.db.transaction(async () => {
      const current = await this.locked(id, change.version);
      const from = current.status as Status;
      if (!canMove(from, change.status)) throw new StatusTransitionError(from, change.status);
      const before = auditState(current);
      current.status = change.status;
      current.lostReason = change.status === 'lost' ? (change.reason ?? null) : null;
      const applicant = await this.applicants.save(current);
      const reason = change.reason ? `: ${change.reason}` : '';
      await this.timeline.add(applicant.id, actor, { kind: 'status_changed', summary: `Status ${from} → ${applicant.status}${reason}`, data: { from, to: applicant.status, reason: change.reason ?? null } });
      await this.audit.record(applicant.id, actor, 'status', before, auditState(applicant));
      await this.events.statusChanged(applicant, from, actor.id);
      // Won and lost applicants stop matching; a reopened one matches again.
      await this.matching.recomputeApplicant(applicant);
      return view(applicant);
    });
  }

  async addNote(id: string, text: string): Promise<TimelineEntryView> {
    const actor = actorOf();
    return this.db.transaction(async () => {
      const applicant = await this.applicants.findForUpdate(id);
      if (!applicant || applicant.mergedInto) throw new NotFoundError('Applicant', id);
      const entry = await this.timeline.add(applicant.id, actor, { kind: 'note', summary: text.slice(0, 200), data: { text } });
      await this.audit.record(applicant.id, actor, 'note', null, { entryId: entry.id, text });
      await this.events.noteAdded(applicant, entry.id, actor.id);
      return entryView(entry);
    });
  }

  /** The activity stream, newest first. A tombstone's stream lives on its survivor. */
  async listTimeline(id: string, limit: number, cursor?: string): Promise<Page<TimelineEntryView>> {
    const applicant = await this.applicants.findById(id);
    if (!applicant) throw new NotFoundError('Applicant', id);
    const rows = await this.timeline.list(applicant.mergedInto ?? applicant.id, limit, cursor ? decodeCursor(cursor).id : undefined);
    return toPage(rows, limit, (e) => ({ after: e.at.toISOString(), id: e.id }), entryView);
  }

  async get(id: string): Promise<ApplicantView> {
    const found = await this.applicants.findById(id);
    if (!found) throw new NotFoundError('Applicant', id);
    return view(found);
  }

  list(query: SearchQuery): Promise<Page<ApplicantView>> {
    return this.search.search(query);
  }

  private async locked(id: string, version: number): Promise<ApplicantEntity> {
    const current = await this.applicants.findForUpdate(id);
    if (!current || current.mergedInto) throw new NotFoundError('Applicant', id);
    if (current.version !== version) throw new VersionConflictError('Applicant', id, version, current.version);
    return current;
  }
}
