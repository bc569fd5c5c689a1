import { create } from '@bufbuild/protobuf';
import { PubSub } from '@google-cloud/pubsub';
import { v7 as uuidv7 } from 'uuid';
import { ListingDeletedSchema, eventTypeOf } from '@pace/contracts';
import { encodeEnvelope } from '@pace/events';
import { startBayutPuller, eventually } from '@pace/testing';
import { type Harness, snapshot, startHarness } from './harness';

// listings.listing-deleted.v1 (an import batch rolled back) takes a live listing off every portal,
// like an unpublish, and a late event for the deleted listing cannot put it back.
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.stop();
});

async function emitDeleted(listingId: string, reference: string, version: bigint): Promise<void> {
  const type = eventTypeOf(ListingDeletedSchema);
  const data = encodeEnvelope(ListingDeletedSchema, create(ListingDeletedSchema, { listingId, reference, version, reason: 'import-rollback', importBatchId: uuidv7() }), {
    eventId: uuidv7(),
    type,
    aggregateId: listingId,
    aggregateVersion: Number(version),
    occurredAt: new Date(),
    producer: 'listings',
    traceparent: '',
  });
  const pubsub = new PubSub({ projectId: 'pace-test' });
  await pubsub.topic(`${h.bus.EVENTS_NAMESPACE}pace.listings.v1`).publishMessage({ data: Buffer.from(data), attributes: { type } });
  await pubsub.close();
}

describe('a deleted listing', () => {
  it('leaves Property Finder, the Bayut feed and the website, and stays gone', async () => {
    const bayut = startBayutPuller(`${h.service.url}/feeds/bayut/${h.feedToken}.xml`);
    const listing = snapshot();
    await h.emit('published', listing);
    await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'live' && s.bayut?.state === 'live');

    await emitDeleted(listing.id, listing.reference, listing.version + 1n);
    const off = await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'unpublished' && s.bayut?.state === 'unpublished' && s.website?.state === 'unpublished');
    expect(off.propertyfinder.state).toBe('unpublished');
    expect(h.pf.listings().find((l) => l.reference === listing.reference)?.state.type).toBe('unpublished');
    await bayut.poll();
    expect(bayut.live('Bayut')).not.toContain(listing.reference);
    const [row] = await h.sql<{ status: string; version: string }>(`SELECT status, version FROM syndication.listing WHERE id = $1`, [listing.id]);
    expect(row).toEqual({ status: 'deleted', version: String(listing.version + 1n) });

    // The published event delivered again late (same version as before the deletion) changes nothing.
    await h.emit('published', listing);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await h.status(listing.id)).propertyfinder.state).toBe('unpublished');
  });
});
