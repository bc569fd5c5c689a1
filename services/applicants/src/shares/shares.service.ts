import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db, type Page, decodeCursor, toPage } from '@pace/database';
import { DomainError, type DomainErrorKind, NotFoundError } from '@pace/http';
import { ApplicantEvents } from '../applicants/applicant.events';
import { actorOf } from '../applicants/applicant.view';
import { ApplicantsRepository } from '../applicants/applicants.repository';
import type { TimelineEntryView } from '../applicants/applicant.dto';
import { entryView } from '../applicants/applicants.service';
import { AuditRepository } from '../audit/audit.repository';
import { TimelineRepository } from '../timeline/timeline.repository';
import type { ListingShareEntity } from './listing-share.entity';
import { type ListingFacts, SharesRepository } from './shares.repository';

export const SHARE_CHANNELS = ['whatsapp', 'email', 'sms', 'phone', 'in_person', 'other'] as const;
export type ShareChannel = (typeof SHARE_CHANNELS)[number];

/** Listings on the market: what an agent can send. Drafts, withdrawn, sold or rented ones are not. */
const SHAREABLE = new Set(['published', 'under_offer']);

export interface ShareRequest {
  listingIds: string[];
  channel: ShareChannel;
  note?: string;
  idempotencyKey?: string;
}

export interface ListingShareView {
  id: string;
  applicantId: string;
  listingId: string;
  reference: string;
  title: string;
  channel: string;
  note: string;
  sharedBy: string | null;
  sharedAt: string;
  timelineEntryId: string;
}

export interface ShareResult {
  shares: ListingShareView[];
  entry: TimelineEntryView;
  replayed: boolean;
}

export class ListingNotShareableError extends DomainError {
  readonly kind: DomainErrorKind = 'conflict';
  readonly code = 'listing-not-shareable';
  override readonly details: Record<string, unknown>;
  constructor(listings: { listingId: string; reason: string }[]) {
    super(`${listings.length === 1 ? 'A listing' : `${listings.length} listings`} cannot be sent: only published or under-offer listings can; see \`listings\`.`);
    this.details = { listings };
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  readonly kind: DomainErrorKind = 'conflict';
  readonly code = 'idempotency-key-reused';
  constructor() {
    super('This Idempotency-Key was already used for a different share with this applicant; use a new key for a new request.');
  }
}

function shareView(s: ListingShareEntity): ListingShareView {
  return {
    id: s.id,
    applicantId: s.applicantId,
    listingId: s.listingId,
    reference: s.reference,
    title: s.title,
    channel: s.channel,
    note: s.note,
    sharedBy: s.sharedBy,
    sharedAt: s.sharedAt.toISOString(),
    timelineEntryId: s.timelineEntryId,
  };
}

const CHANNEL_LABEL: Record<ShareChannel, string> = { whatsapp: 'WhatsApp', email: 'email', sms: 'SMS', phone: 'phone', in_person: 'in person', other: 'other means' };

/**
 * Listing shares: an agent records that an applicant was sent listings. The listings must be on
 * the market as this service knows them (its projection of listing events). The shares, one
 * timeline entry, an audit row and `applicants.listings-shared.v1` commit together.
 */
@Injectable()
export class SharesService {
  constructor(
    private readonly db: Db,
    private readonly applicants: ApplicantsRepository,
    private readonly shares: SharesRepository,
    private readonly timeline: TimelineRepository,
    private readonly audit: AuditRepository,
    private readonly events: ApplicantEvents,
  ) {}

  async share(applicantId: string, request: ShareRequest): Promise<ShareResult> {
    const actor = actorOf();
    return this.db.transaction(async () => {
      // The row lock also serialises retries of one request, so the replay check below holds.
      const applicant = await this.applicants.findForUpdate(applicantId);
      if (!applicant || applicant.mergedInto) throw new NotFoundError('Applicant', applicantId);
      if (request.idempotencyKey) {
        const earlier = await this.shares.byIdempotencyKey(applicant.id, request.idempotencyKey);
        if (earlier.length) return this.replay(earlier, request);
      }
      const listings = await this.shares.listings(request.listingIds);
      const known = new Map(listings.map((l) => [l.id, l]));
      const refused = request.listingIds
        .map((listingId) => ({ listingId, listing: known.get(listingId) }))
        .filter(({ listing }) => !listing || !SHAREABLE.has(listing.status))
        .map(({ listingId, listing }) => ({ listingId, reason: listing ? `it is ${listing.status.replace(/_/g, ' ')}` : 'no such listing is advertised (or it was published moments ago: try again)' }));
      if (refused.length) throw new ListingNotShareableError(refused);

      const sent = request.listingIds.map((id) => known.get(id)!);
      const at = new Date();
      const entry = await this.timeline.add(
        applicant.id,
        actor,
        {
          kind: 'listing_shared',
          summary: `Sent ${sent.length === 1 ? sent[0].reference : `${sent.length} listings (${sent.map((l) => l.reference).join(', ')})`} by ${CHANNEL_LABEL[request.channel]}`.slice(0, 200),
          data: { channel: request.channel, note: request.note ?? '', listings: sent.map((l: ListingFacts) => ({ id: l.id, reference: l.reference, title: l.title })) },
        },
        at,
      );
      const rows: ListingShareEntity[] = sent.map((l) => ({
        id: uuidv7(),
        applicantId: applicant.id,
        listingId: l.id,
        reference: l.reference,
        title: l.title,
        channel: request.channel,
        note: request.note ?? '',
        sharedBy: actor.id,
        sharedAt: at,
        timelineEntryId: entry.id,
        idempotencyKey: request.idempotencyKey ?? null,
      }));
      await this.shares.insert(rows);
      await this.audit.record(applicant.id, actor, 'listings_shared', null, { entryId: entry.id, channel: request.channel, listingIds: request.listingIds });
      await this.events.listingsShared(applicant, entry.id, rows, actor.id);
      return { shares: rows.map(shareView), entry: entryView(entry), replayed: false };
    });
  }

  /** The same request again: answer what the first attempt wrote; a different request under the same key is refused. */
  private async replay(earlier: ListingShareEntity[], request: ShareRequest): Promise<ShareResult> {
    const same =
      earlier[0].channel === request.channel &&
      earlier.length === new Set(request.listingIds).size &&
      earlier.every((s) => request.listingIds.includes(s.listingId));
    if (!same) throw new IdempotencyKeyReusedError();
    const entry = await this.timeline.get(earlier[0].timelineEntryId);
    return { shares: earlier.map(shareView), entry: entryView(entry!), replayed: true };
  }

  /** Newest first; a tombstone's shares live on its survivor. */
  async list(applicantId: string, limit: number, cursor?: string, listingId?: string): Promise<Page<ListingShareView>> {
    const applicant = await this.applicants.findById(applicantId);
    if (!applicant) throw new NotFoundError('Applicant', applicantId);
    const rows = await this.shares.list(applicant.mergedInto ?? applicant.id, limit, cursor ? decodeCursor(cursor).id : undefined, listingId);
    return toPage(rows, limit, (s) => ({ after: s.sharedAt.toISOString(), id: s.id }), shareView);
  }
}
