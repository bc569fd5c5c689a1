import { createHmac, timingSafeEqual } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { LeadReceivedSchema } from '@pace/contracts';
import { Db } from '@pace/database';
import { Outbox } from '@pace/events';
import { DomainError } from '@pace/http';
import { ProjectionRepository } from '../projection/projection.repository';
import type { OpenAction, PublicationEntity } from '../publications/publication.entity';
import { type PublicationPatch, PublicationsService } from '../publications/publications.service';
import { PublicationsRepository } from '../publications/publications.repository';

export class WebhookRejectedError extends DomainError {
  readonly kind = 'unauthorized';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class WebhookInvalidError extends DomainError {
  readonly kind = 'invalid';
  readonly code = 'webhook-invalid';
}

/** PF's envelope: `{id, type, timestamp, entity{id, type}, payload{...}}`. */
const envelope = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  timestamp: z.string().optional(),
  entity: z.object({ id: z.union([z.string(), z.number()]).transform(String), type: z.string().optional() }).optional(),
  payload: z.record(z.string(), z.unknown()).optional().default({}),
});
type Envelope = z.infer<typeof envelope>;

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Reasons in `en` (and `ar`): `[{en, ar}]`, `{en: [...]}` or plain strings, as PF sends them. */
function reasonsOf(payload: Record<string, unknown>): string {
  const raw = payload.reasons;
  const out: string[] = [];
  const visit = (r: unknown) => {
    if (typeof r === 'string') out.push(r);
    else if (Array.isArray(r)) r.forEach(visit);
    else if (r && typeof r === 'object') {
      const o = r as Record<string, unknown>;
      visit(o.en ?? o.message ?? o.reason);
    }
  };
  visit(raw);
  return out.join('; ');
}

/** Verifies, de-duplicates and applies Property Finder webhook events. */
@Injectable()
export class WebhookService {
  private readonly logger = new Logger('pf-webhook');

  constructor(
    private readonly db: Db,
    private readonly publications: PublicationsRepository,
    private readonly changes: PublicationsService,
    private readonly listings: ProjectionRepository,
    private readonly outbox: Outbox,
  ) {}

  /** HMAC-SHA256 of the raw body, hex, in `X-Signature`, compared in constant time. */
  verify(raw: Buffer, signature: string | undefined, secret: string | undefined): void {
    if (!secret) throw new WebhookRejectedError('webhook-secret-unset', 'No Property Finder webhook secret is configured; events cannot be verified.');
    if (!signature) throw new WebhookRejectedError('signature-missing', 'X-Signature is missing.');
    const expected = createHmac('sha256', secret).update(raw).digest();
    const given = Buffer.from(signature.trim().toLowerCase().replace(/^sha256=/, ''), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new WebhookRejectedError('signature-mismatch', 'X-Signature does not match the body.');
    }
  }

  parse(raw: Buffer): Envelope {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new WebhookInvalidError('The body is not JSON.');
    }
    const parsed = envelope.safeParse(json);
    if (!parsed.success) throw new WebhookInvalidError(`Not a Property Finder event: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }

  /** Applies one event exactly once (by its id). Returns false for a duplicate. */
  async handle(event: Envelope): Promise<boolean> {
    return this.db.transaction(async () => {
      const schema = String((this.db.dataSource.options as { schema?: string }).schema);
      const inserted: unknown[] = await this.db.manager.query(
        `INSERT INTO "${schema}".webhook_event (id, type, body) VALUES ($1, $2, $3::jsonb) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [event.id, event.type, JSON.stringify(event)],
      );
      if (!inserted.length) {
        this.logger.debug(`duplicate event ${event.id} (${event.type}) ignored`);
        return false;
      }
      if (event.type.startsWith('listing.')) await this.listingEvent(event);
      else if (event.type.startsWith('lead.')) await this.leadEvent(event);
      else this.logger.log(`event ${event.type} recorded, nothing to do`);
      return true;
    });
  }

  private async listingEvent(event: Envelope): Promise<void> {
    const pfId = event.entity?.id ?? text(obj(event.payload.listing).id);
    const pub = pfId ? await this.publications.lockedByPortalId('propertyfinder', pfId) : null;
    if (!pub) {
      this.logger.warn(`${event.type} for Property Finder listing ${pfId || '(none)'}, which PACE does not know: recorded only`);
      return;
    }
    const listing = await this.listings.find(pub.listingId);
    const reference = listing?.reference ?? '';
    const p = event.payload;
    let patch: PublicationPatch;
    switch (event.type) {
      case 'listing.published':
        patch = { state: 'live', message: null, liveSince: new Date() };
        break;
      case 'listing.publishFailed': {
        const failureType = text(p.failureType);
        const reasons = reasonsOf(p);
        patch = { state: failureType === 'validation.failed' ? 'rejected' : 'failed', message: `Property Finder: ${failureType || 'publish failed'}${reasons ? `: ${reasons}` : ''}` };
        break;
      }
      case 'listing.unpublished':
        patch = { state: 'unpublished', message: pub.desiredState === 'published' ? 'unpublished on Property Finder' : null };
        break;
      case 'listing.action':
        patch = this.action(pub, p);
        break;
      default:
        this.logger.log(`${event.type} for ${reference}: recorded`);
        return;
    }
    await this.changes.apply(pub, patch, reference);
  }

  /** A compliance action (DLD/ADREC): kept open on the publication until resolved or expired. */
  private action(pub: PublicationEntity, p: Record<string, unknown>): PublicationPatch {
    const action: OpenAction = {
      id: text(p.id) || text(p.actionType),
      actionType: text(p.actionType),
      status: text(p.status),
      message: text(p.message) || text(p.reason),
      expiresAt: text(p.expiresAt) || null,
      expireAction: text(p.expireAction) || null,
    };
    const others = pub.openActions.filter((a) => a.id !== action.id);
    const closed = action.status === 'expired' || text(p.reason) === 'RESOLVED' || text(p.reason) === 'DISPUTE_ACCEPTED';
    const openActions = closed ? others : [...others, action];
    const message = `compliance action ${action.actionType} (${action.status})${action.message ? `: ${action.message}` : ''}${action.expiresAt && !closed ? `; due ${action.expiresAt}` : ''}`;
    if (action.status === 'expired' && action.expireAction === 'listing_unpublish') return { openActions, state: 'unpublished', message };
    return { openActions, message };
  }

  private async leadEvent(event: Envelope): Promise<void> {
    const p = event.payload;
    const listingRef = obj(p.listing);
    const sender = obj(p.sender);
    const contacts = Array.isArray(sender.contacts) ? sender.contacts.map(obj) : [];
    const reference = text(listingRef.reference);
    const portalListingId = text(listingRef.id);
    let listingId = '';
    if (reference) listingId = (await this.listings.findByReference(reference))?.id ?? '';
    if (!listingId && portalListingId) listingId = (await this.publications.lockedByPortalId('propertyfinder', portalListingId))?.listingId ?? '';
    const leadId = text(p.id) || event.entity?.id || event.id;
    await this.outbox.publish({
      schema: LeadReceivedSchema,
      payload: create(LeadReceivedSchema, {
        lead: {
          source: 'propertyfinder',
          portalLeadId: leadId,
          channel: text(p.channel),
          listingReference: reference || (listingId ? ((await this.listings.find(listingId))?.reference ?? '') : ''),
          listingId,
          portalListingId,
          senderName: text(sender.name),
          phones: contacts.filter((c) => ['phone', 'mobile', 'whatsapp'].includes(text(c.type))).map((c) => text(c.value)).filter(Boolean),
          emails: contacts.filter((c) => text(c.type) === 'email').map((c) => text(c.value)).filter(Boolean),
          message: text(p.message),
          receivedAt: timestampFromDate(event.timestamp && !Number.isNaN(Date.parse(event.timestamp)) ? new Date(event.timestamp) : new Date()),
        },
      }),
      aggregateId: `propertyfinder:${leadId}`,
      aggregateVersion: 1,
    });
    this.logger.log(`${event.type} ${leadId}${reference ? ` about ${reference}` : ''} → syndication.lead-received.v1`);
  }
}
