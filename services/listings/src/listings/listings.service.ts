import { Injectable } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { VersionConflictError } from '@pace/http';
import { Db } from '@pace/database';
import type { Caller } from '../common/caller';
import { TransitionNotAllowedError, VersionRequiredError } from '../common/errors';
import { LISTINGS_CONFIG, type ListingsConfig } from '../config';
import { AuditRepository } from '../audit/audit.repository';
import { EDITABLE, allowedActions } from '../lifecycle/lifecycle';
import { ListingEvents } from './listing.events';
import type { CreateListing, ListingView, UpdateListing } from '@pace/listings-api';
import type { ListingEntity } from './listing.entity';
import { ListingReader } from './listing.reader';
import { checkAssignment, checkConsistency } from './listing.rules';
import { auditState } from './listing.view';
import { type ListingChanges, ListingsRepository } from './listings.repository';

/** Maps the API's nested shape onto columns; only keys present in `input` are returned. */
function toColumns(input: Partial<Omit<CreateListing, 'agentId'>> & { agentId?: string }): ListingChanges {
  const c: ListingChanges = {};
  if (input.purpose !== undefined) c.purpose = input.purpose;
  if (input.rentFrequency !== undefined) c.rentFrequency = input.rentFrequency ?? null;
  if (input.category !== undefined) c.category = input.category;
  if (input.propertyType !== undefined) c.propertyType = input.propertyType;
  if (input.price !== undefined) c.priceFils = input.price?.amountFils ?? null;
  if (input.bedrooms !== undefined) c.bedrooms = input.bedrooms ?? null;
  if (input.bathrooms !== undefined) c.bathrooms = input.bathrooms ?? null;
  if (input.size !== undefined) c.size = input.size ?? null;
  if (input.plotSize !== undefined) c.plotSize = input.plotSize ?? null;
  if (input.location !== undefined) {
    c.emirate = input.location.emirate;
    c.community = input.location.community;
    c.subCommunity = input.location.subCommunity;
    c.building = input.location.building;
  }
  if (input.title !== undefined) {
    c.titleEn = input.title.en;
    c.titleAr = input.title.ar;
  }
  if (input.description !== undefined) {
    c.descriptionEn = input.description.en;
    c.descriptionAr = input.description.ar;
  }
  if (input.amenities !== undefined) c.amenities = [...new Set(input.amenities)].sort();
  if (input.furnishing !== undefined) c.furnishing = input.furnishing ?? null;
  if (input.completionStatus !== undefined) c.completionStatus = input.completionStatus;
  if (input.permit !== undefined) {
    c.permitNumber = input.permit?.number ?? null;
    c.permitType = input.permit?.type ?? null;
    c.permitIssueDate = input.permit?.issueDate ?? null;
    c.permitExpiryDate = input.permit?.expiryDate ?? null;
  }
  if (input.landlord !== undefined) {
    c.landlordName = input.landlord?.name ?? null;
    c.landlordPhone = input.landlord?.phone ?? null;
    c.landlordEmail = input.landlord?.email ?? null;
  }
  if (input.agentId !== undefined) c.agentId = input.agentId;
  if (input.teamId !== undefined) c.teamId = input.teamId ?? null;
  if (input.portals !== undefined) c.portals = [...new Set(input.portals)].sort();
  return c;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Column names → the API field they belong to (`priceFils` → `price`, `landlordPhone` → `landlord`). */
const API_FIELD: Record<string, string> = {
  priceFils: 'price',
  emirate: 'location',
  community: 'location',
  subCommunity: 'location',
  building: 'location',
  titleEn: 'title',
  titleAr: 'title',
  descriptionEn: 'description',
  descriptionAr: 'description',
  permitNumber: 'permit',
  permitType: 'permit',
  permitIssueDate: 'permit',
  permitExpiryDate: 'permit',
  landlordName: 'landlord',
  landlordPhone: 'landlord',
  landlordEmail: 'landlord',
};
const apiFields = (columns: string[]) => [...new Set(columns.map((c) => API_FIELD[c] ?? c))].sort();

@Injectable()
export class ListingsService {
  constructor(
    private readonly db: Db,
    private readonly listings: ListingsRepository,
    private readonly reader: ListingReader,
    private readonly audit: AuditRepository,
    private readonly events: ListingEvents,
    @Inject(LISTINGS_CONFIG) private readonly config: ListingsConfig,
  ) {}

  async create(caller: Caller, input: CreateListing): Promise<ListingView> {
    const agentId = input.agentId ?? caller.userId;
    const teamId = input.teamId === undefined ? (caller.teamIds[0] ?? null) : input.teamId;
    checkAssignment(caller, agentId, teamId);
    const columns = toColumns({ ...input, agentId, teamId });
    if (columns.purpose === 'sale') columns.rentFrequency = null;
    return this.db.transaction(async () => {
      const n = await this.listings.nextReferenceNumber();
      const reference = `${this.config.LISTINGS_REFERENCE_PREFIX}-${input.purpose === 'sale' ? 'S' : 'R'}-${String(n).padStart(6, '0')}`;
      const draft = { ...columns, id: uuidv7(), reference, status: 'draft', createdBy: caller.userId } as Parameters<ListingsRepository['insert']>[0];
      checkConsistency(draft);
      const created = await this.listings.insert(draft);
      await this.listings.recordPrice(created, caller.userId);
      await this.audit.record(created.id, caller, 'create', null, auditState(created));
      await this.events.created(created);
      return this.reader.view(created, caller);
    });
  }

  async get(caller: Caller, id: string): Promise<ListingView> {
    return this.reader.view(await this.reader.forRead(caller, id), caller);
  }

  async update(caller: Caller, id: string, input: UpdateListing, ifMatch: number | undefined): Promise<ListingView> {
    const expected = ifMatch ?? input.version;
    if (expected === undefined) throw new VersionRequiredError();
    return this.db.transaction(async () => {
      const before = await this.reader.forWrite(caller, id);
      if (before.version !== expected) throw new VersionConflictError('Listing', id, expected, before.version);
      if (!EDITABLE.includes(before.status)) {
        throw new TransitionNotAllowedError(
          before.status,
          'update',
          allowedActions(before, caller),
          `Listing ${before.reference} is ${before.status} and can no longer be edited${before.status === 'withdrawn' || before.status === 'expired' ? '; relist it first' : ''}.`,
        );
      }
      const { version: _v, ...fields } = input;
      const requested = toColumns(fields);
      const merged = { ...before, ...requested } as ListingEntity;
      if (merged.purpose === 'sale') merged.rentFrequency = null;
      checkConsistency(merged);
      if (requested.agentId !== undefined || requested.teamId !== undefined) checkAssignment(caller, merged.agentId, merged.teamId);
      const changes: ListingChanges = {};
      for (const key of Object.keys(requested) as (keyof ListingChanges)[]) {
        if (!same(before[key], merged[key])) (changes as Record<string, unknown>)[key] = merged[key];
      }
      if (before.rentFrequency !== merged.rentFrequency) changes.rentFrequency = merged.rentFrequency;
      if (!Object.keys(changes).length) return this.reader.view(before, caller);
      const after = await this.listings.update(id, changes);
      const priceChanged = ['priceFils', 'purpose', 'rentFrequency'].some((k) => k in changes);
      if (priceChanged) await this.listings.recordPrice(after, caller.userId);
      await this.audit.record(id, caller, 'update', auditState(before), auditState(after));
      await this.events.updated(after, apiFields(Object.keys(changes)));
      return this.reader.view(after, caller);
    });
  }

  async priceHistory(caller: Caller, id: string) {
    const listing = await this.reader.forRead(caller, id);
    const rows = await this.listings.priceHistory(listing.id);
    return {
      items: rows.map((r) => ({
        price: { amountFils: r.priceFils, currency: r.currency },
        purpose: r.purpose,
        rentFrequency: r.rentFrequency,
        changedAt: r.changedAt.toISOString(),
        changedBy: r.changedBy,
      })),
    };
  }
}
