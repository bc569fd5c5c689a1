import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Injectable } from '@nestjs/common';
import {
  ApplicantAssignedSchema,
  ApplicantCreatedSchema,
  ApplicantDeletedSchema,
  ApplicantListingsSharedSchema,
  ApplicantMergedSchema,
  ApplicantNoteAddedSchema,
  ApplicantStatusChangedSchema,
  ApplicantUpdatedSchema,
  LeadAcceptedSchema,
  LeadClaimedSchema,
} from '@pace/contracts';
import type { DependentInsert } from '@pace/database';
import { type EncodedEvent, Outbox } from '@pace/events';
import type { ApplicantEntity } from './applicant.entity';
import { snapshot, snapshotJson } from './applicant.view';

/** The applicants domain's events, written to the outbox inside the caller's transaction. */
@Injectable()
export class ApplicantEvents {
  constructor(private readonly outbox: Outbox) {}

  private at(a: ApplicantEntity) {
    return { aggregateId: a.id, aggregateVersion: a.version };
  }

  async created(a: ApplicantEntity): Promise<void> {
    await this.outbox.publish({ schema: ApplicantCreatedSchema, payload: create(ApplicantCreatedSchema, { applicant: snapshot(a) }), ...this.at(a) });
  }

  /** The same events as `created`, for many applicants in one outbox statement (an import batch). */
  async createdMany(list: ApplicantEntity[]): Promise<void> {
    if (!list.length) return;
    await this.outbox.publish(...list.map((a) => ({ schema: ApplicantCreatedSchema, payload: create(ApplicantCreatedSchema, { applicant: snapshot(a) }), ...this.at(a) })));
  }

  /** `created` events encoded ahead of their transaction (an import builds them while the previous batch commits). */
  encodeCreated(list: ApplicantEntity[]): EncodedEvent[] {
    return this.outbox.encodeJson(list.map((a) => ({ schema: ApplicantCreatedSchema, payloadJson: `{"applicant":${snapshotJson(a)}}`, ...this.at(a) })));
  }

  async publishEncoded(events: EncodedEvent[]): Promise<void> {
    await this.outbox.publishEncoded(events);
  }

  /** Encoded events as part of the statement that writes their applicants (`Outbox.dependentInsert`). */
  dependentInsert(events: EncodedEvent[]): DependentInsert {
    return this.outbox.dependentInsert(events);
  }

  /** After that statement ran. */
  written(): void {
    this.outbox.written();
  }

  async updatedMany(list: ApplicantEntity[]): Promise<void> {
    if (!list.length) return;
    await this.outbox.publish(...list.map((a) => ({ schema: ApplicantUpdatedSchema, payload: create(ApplicantUpdatedSchema, { applicant: snapshot(a) }), ...this.at(a) })));
  }

  /** Deleted for good (an import batch rolled back): the deletion is the applicant's next version. */
  async deletedMany(list: { id: string; version: number }[], reason: string, importBatchId: string): Promise<void> {
    if (!list.length) return;
    await this.outbox.publish(
      ...list.map((a) => ({
        schema: ApplicantDeletedSchema,
        payload: create(ApplicantDeletedSchema, { applicantId: a.id, version: BigInt(a.version + 1), reason, importBatchId }),
        aggregateId: a.id,
        aggregateVersion: a.version + 1,
      })),
    );
  }

  async updated(a: ApplicantEntity): Promise<void> {
    await this.outbox.publish({ schema: ApplicantUpdatedSchema, payload: create(ApplicantUpdatedSchema, { applicant: snapshot(a) }), ...this.at(a) });
  }

  async statusChanged(a: ApplicantEntity, from: string, by: string | null): Promise<void> {
    await this.outbox.publish({
      schema: ApplicantStatusChangedSchema,
      payload: create(ApplicantStatusChangedSchema, { applicant: snapshot(a), fromStatus: from, toStatus: a.status, changedBy: by ?? '' }),
      ...this.at(a),
    });
  }

  async assigned(a: ApplicantEntity, previousOwnerId: string | null, reason: string, claimDeadline: Date | null): Promise<void> {
    await this.outbox.publish({
      schema: ApplicantAssignedSchema,
      payload: create(ApplicantAssignedSchema, {
        applicant: snapshot(a),
        previousOwnerId: previousOwnerId ?? '',
        reason,
        ...(claimDeadline ? { claimDeadline: timestampFromDate(claimDeadline) } : {}),
      }),
      ...this.at(a),
    });
  }

  async leadAccepted(a: ApplicantEntity, lead: { source: string; portalLeadId: string; listingId?: string; listingReference?: string }, matched: boolean): Promise<void> {
    await this.outbox.publish({
      schema: LeadAcceptedSchema,
      payload: create(LeadAcceptedSchema, {
        applicantId: a.id,
        source: lead.source,
        portalLeadId: lead.portalLeadId,
        matched,
        listingId: lead.listingId ?? '',
        listingReference: lead.listingReference ?? '',
      }),
      ...this.at(a),
    });
  }

  async leadClaimed(a: ApplicantEntity, lead: { source: string; portalLeadId: string }, agentId: string): Promise<void> {
    await this.outbox.publish({
      schema: LeadClaimedSchema,
      payload: create(LeadClaimedSchema, { applicantId: a.id, source: lead.source, portalLeadId: lead.portalLeadId, agentId }),
      ...this.at(a),
    });
  }

  async noteAdded(a: ApplicantEntity, entryId: string, authorId: string | null): Promise<void> {
    await this.outbox.publish({
      schema: ApplicantNoteAddedSchema,
      payload: create(ApplicantNoteAddedSchema, { applicantId: a.id, entryId, authorId: authorId ?? '' }),
      ...this.at(a),
    });
  }

  async listingsShared(a: ApplicantEntity, entryId: string, shares: { id: string; listingId: string; reference: string; channel: string; sharedAt: Date }[], by: string | null): Promise<void> {
    await this.outbox.publish({
      schema: ApplicantListingsSharedSchema,
      payload: create(ApplicantListingsSharedSchema, {
        applicantId: a.id,
        timelineEntryId: entryId,
        listings: shares.map((s) => ({ shareId: s.id, listingId: s.listingId, reference: s.reference })),
        channel: shares[0].channel,
        sharedBy: by ?? '',
        sharedAt: timestampFromDate(shares[0].sharedAt),
      }),
      ...this.at(a),
    });
  }

  async merged(survivor: ApplicantEntity, merged: ApplicantEntity, by: string | null): Promise<void> {
    await this.outbox.publish({
      schema: ApplicantMergedSchema,
      payload: create(ApplicantMergedSchema, { survivor: snapshot(survivor), merged: snapshot(merged), mergedBy: by ?? '' }),
      ...this.at(survivor),
    });
  }
}
