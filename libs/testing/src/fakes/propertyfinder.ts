import { createHmac, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeServer, type RecordedRequest, startFakeServer } from '../fake-server';

/**
 * A local stand-in for the Property Finder Enterprise API (the shapes of its reference, see the
 * portals spec §2.9): token exchange with its own 60/min limit, listings (draft → asynchronous
 * publish), locations, webhook subscriptions, and signed webhook deliveries
 * (`X-Signature` = hex HMAC-SHA256 of the raw body), retried when not answered 2xx within 5 s.
 * Faults are injectable: the next N listing calls answer 429/5xx, or hang past a timeout.
 */
export interface FakePfListing {
  id: string;
  reference: string;
  state: { type: string; stage: string; reasons: unknown[] };
  body: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface FakePfDelivery {
  eventId: string;
  type: string;
  url: string;
  status: number;
  body: string;
}

export interface FakePropertyFinderOptions {
  apiKey?: string;
  apiSecret?: string;
  /** Seconds a token lives (PF: 1800). */
  tokenExpiresIn?: number;
  /** Delay before a publish outcome is delivered. */
  publishDelayMs?: number;
  /** Per-minute budget of the non-token endpoints (PF: 650). */
  perMinute?: number;
  locations?: { id: number; name: string; type?: string }[];
  /** Decides a publish: reasons make it `listing.publishFailed` (validation.failed). */
  publishOutcome?: (listing: FakePfListing) => { failed: string[] } | 'published';
  /** Deliver no webhooks at all (a lost subscription): the caller must check by GET. */
  silent?: boolean;
  /** Deliver every webhook event twice (and the second out of order) to exercise de-duplication. */
  duplicateDeliveries?: boolean;
  /** Local runs only (`npm start`, media served over http by the gateway): take http image URLs too. */
  acceptHttpMedia?: boolean;
  /** Where to listen (default 127.0.0.1, a free port); docker compose's fakes listen on 0.0.0.0. */
  host?: string;
  port?: number;
}

export interface FakePropertyFinder {
  url: string;
  requests: RecordedRequest[];
  listings: () => FakePfListing[];
  tokenRequests: () => number;
  deliveries: FakePfDelivery[];
  /**
   * The next `count` calls to /v1/listings… answer `status` (429, 500, 502…), or hang when status
   * is 0. With `afterApplying`, the call is carried out first and only its answer is lost; `only`
   * limits the fault to calls starting with it, e.g. `POST /v1/listings`.
   */
  fail: (count: number, status: number, options?: { afterApplying?: boolean; only?: string }) => void;
  /** Drops every injected fault not yet used (the outage ends). */
  heal: () => void;
  /** Subscribes a callback as `POST /v1/webhooks` would. */
  subscribe: (eventId: string, callbackUrl: string, secret?: string) => void;
  /** Test triggers: emit any event (lead.created, listing.action …) to the subscriptions. */
  emit: (type: string, entity: { id: string; type: string }, payload: Record<string, unknown>, eventId?: string) => Promise<void>;
  /** Resolves when every delivery scheduled so far has been made. */
  settled: () => Promise<void>;
  close: () => Promise<void>;
}

const ulid = () => '01' + randomBytes(12).toString('hex').toUpperCase().slice(0, 24);

export async function startFakePropertyFinder(options: FakePropertyFinderOptions = {}): Promise<FakePropertyFinder> {
  const apiKey = options.apiKey ?? 'pf-test-key';
  const apiSecret = options.apiSecret ?? 'pf-test-secret';
  const tokens = new Map<string, number>();
  const listings = new Map<string, FakePfListing>();
  const subscriptions: { eventId: string; url: string; secret?: string }[] = [];
  const deliveries: FakePfDelivery[] = [];
  const faults: { status: number; afterApplying: boolean; only?: string }[] = [];
  const tokenCalls: number[] = [];
  const apiCalls: number[] = [];
  const inflight = new Set<Promise<void>>();
  let tokenCount = 0;
  const locations = options.locations ?? [
    { id: 50, name: 'Dubai Marina', type: 'COMMUNITY' },
    { id: 5001, name: 'Marina Promenade', type: 'SUBCOMMUNITY' },
    { id: 500101, name: 'Delphine Tower', type: 'TOWER' },
    { id: 60, name: 'Downtown Dubai', type: 'COMMUNITY' },
  ];

  const json = (res: ServerResponse, status: number, body?: unknown) => {
    res.statusCode = status;
    if (body === undefined) return void res.end();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  };
  const problem = (res: ServerResponse, status: number, detail: string, errors: { pointer: string; detail: string }[] = []) =>
    json(res, status, { type: `https://problems.atlas.propertyfinder.com/${status}`, code: String(status), title: detail, status, detail, errors, attributes: { trace_id: randomBytes(8).toString('hex') } });
  const withinLimit = (calls: number[], limit: number) => {
    const now = Date.now();
    while (calls.length && calls[0]! < now - 60_000) calls.shift();
    if (calls.length >= limit) return false;
    calls.push(now);
    return true;
  };

  async function deliver(type: string, entity: { id: string; type: string }, payload: Record<string, unknown>, eventId = ulid()): Promise<void> {
    const body = JSON.stringify({ id: eventId, type, timestamp: new Date().toISOString(), entity, payload });
    const targets = options.silent ? [] : subscriptions.filter((s) => s.eventId === type);
    const sendOnce = async (target: (typeof subscriptions)[number]) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (target.secret) headers['x-signature'] = createHmac('sha256', target.secret).update(body).digest('hex');
        try {
          const res = await fetch(target.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
          deliveries.push({ eventId, type, url: target.url, status: res.status, body });
          await res.text();
          if (res.ok) return;
        } catch {
          deliveries.push({ eventId, type, url: target.url, status: 0, body });
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
      }
    };
    const work = Promise.all(targets.flatMap((t) => (options.duplicateDeliveries ? [sendOnce(t), sendOnce(t)] : [sendOnce(t)]))).then(() => undefined);
    inflight.add(work);
    await work.finally(() => inflight.delete(work));
  }

  const later = (ms: number, task: () => Promise<void>) => {
    const work = new Promise<void>((resolve) => setTimeout(resolve, ms)).then(task);
    inflight.add(work);
    void work.finally(() => inflight.delete(work));
  };

  const server: FakeServer = await startFakeServer(async (req, res) => {
    const url = new URL(req.url, 'http://fake');
    const path = url.pathname;
    if (req.method === 'POST' && path === '/v1/auth/token') {
      tokenCount += 1;
      if (!withinLimit(tokenCalls, 60)) return problem(res, 429, 'Too many token requests');
      let creds: { apiKey?: string; apiSecret?: string } = {};
      try {
        creds = JSON.parse(req.body) as typeof creds;
      } catch {
        return problem(res, 400, 'Body is not JSON');
      }
      if (creds.apiKey !== apiKey || creds.apiSecret !== apiSecret) return problem(res, 401, 'Invalid API credentials');
      const token = 'pf.' + randomBytes(16).toString('hex');
      const expiresIn = options.tokenExpiresIn ?? 1800;
      tokens.set(token, Date.now() + expiresIn * 1000);
      return json(res, 200, { accessToken: token, expiresIn, tokenType: 'Bearer' });
    }
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const expires = bearer ? tokens.get(bearer) : undefined;
    if (!expires || expires < Date.now()) return problem(res, 401, 'Missing or expired access token');
    if (!withinLimit(apiCalls, options.perMinute ?? 650)) return problem(res, 429, 'Rate limit exceeded');
    const at = path.startsWith('/v1/listings') ? faults.findIndex((f) => !f.only || `${req.method} ${path}`.startsWith(f.only)) : -1;
    if (at >= 0) {
      const fault = faults.splice(at, 1)[0]!;
      if (fault.afterApplying) {
        // Carried out, answer lost (a crash or timeout between PF and the caller).
        await route(req, { statusCode: 200, setHeader: () => undefined, end: () => undefined } as unknown as ServerResponse, url, path);
      }
      if (fault.status === 0) return; // hang: the client's timeout must fire
      return problem(res, fault.status, fault.status === 429 ? 'Rate limit exceeded' : 'Upstream failure');
    }
    return route(req, res, url, path);
  }, { host: options.host, port: options.port });

  async function route(req: RecordedRequest, res: ServerResponse, url: URL, path: string): Promise<void> {
    if (req.method === 'GET' && path === '/v1/locations') {
      const search = (url.searchParams.get('search') ?? '').toLowerCase();
      if (search.length < 2) return problem(res, 400, 'search needs at least 2 characters');
      return json(res, 200, { data: locations.filter((l) => l.name.toLowerCase().includes(search)), pagination: { total: 0, page: 1, perPage: 20 } });
    }
    if (req.method === 'POST' && path === '/v1/webhooks') {
      const body = JSON.parse(req.body) as { eventId: string; callbackUrl: string; secret?: string };
      subscriptions.push({ eventId: body.eventId, url: body.callbackUrl, secret: body.secret });
      return json(res, 201, { eventId: body.eventId, callbackUrl: body.callbackUrl });
    }
    if (req.method === 'GET' && path === '/v1/webhooks') return json(res, 200, { data: subscriptions.map((s) => ({ eventId: s.eventId, callbackUrl: s.url })) });
    if (req.method === 'GET' && path === '/v1/listings') {
      const ref = url.searchParams.get('filter[reference]');
      const state = url.searchParams.get('filter[state]');
      const ids = url.searchParams.get('filter[ids]')?.split(',');
      const results = [...listings.values()].filter((l) => (!ref || l.reference === ref) && (!state || l.state.type === state) && (!ids || ids.includes(l.id)));
      return json(res, 200, { results, pagination: { total: results.length, page: 1, perPage: 100, totalPages: 1, nextPage: null, prevPage: null } });
    }
    if (req.method === 'POST' && path === '/v1/listings') {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body) as Record<string, unknown>;
      } catch {
        return problem(res, 400, 'Body is not JSON');
      }
      const errors = validate(body, locations, options.acceptHttpMedia);
      if (errors.length) return problem(res, 422, 'Listing validation failed', errors);
      if ([...listings.values()].some((l) => l.reference === body.reference)) return problem(res, 409, `reference ${String(body.reference)} already exists`, [{ pointer: '/reference', detail: 'must be unique' }]);
      const now = new Date().toISOString();
      const listing: FakePfListing = { id: ulid(), reference: String(body.reference), state: { type: 'draft', stage: 'draft', reasons: [] }, body, createdAt: now, updatedAt: now };
      listings.set(listing.id, listing);
      return json(res, 200, { id: listing.id, reference: listing.reference, state: listing.state });
    }
    const match = /^\/v1\/listings\/([^/]+)(\/publish|\/unpublish)?$/.exec(path);
    const listing = match ? listings.get(decodeURIComponent(match[1]!)) : undefined;
    if (match && !listing) return problem(res, 404, 'Listing not found');
    if (listing && req.method === 'PUT' && !match![2]) {
      const body = JSON.parse(req.body) as Record<string, unknown>;
      const errors = validate(body, locations, options.acceptHttpMedia);
      if (errors.length) return problem(res, 422, 'Listing validation failed', errors);
      listing.body = body;
      listing.updatedAt = new Date().toISOString();
      return json(res, 200, { id: listing.id, reference: listing.reference, state: listing.state });
    }
    if (listing && req.method === 'POST' && match![2] === '/publish') {
      if (listing.state.type !== 'live') {
        listing.state = { type: 'pending_approval', stage: 'pending', reasons: [] };
        later(options.publishDelayMs ?? 100, async () => {
          const outcome = options.publishOutcome?.(listing) ?? 'published';
          if (outcome === 'published') {
            listing.state = { type: 'live', stage: 'live', reasons: [] };
            await deliver('listing.published', { id: listing.id, type: 'listing' }, {});
          } else {
            listing.state = { type: 'failed', stage: 'failed', reasons: outcome.failed };
            await deliver('listing.publishFailed', { id: listing.id, type: 'listing' }, { failureType: 'validation.failed', reasons: outcome.failed.map((en) => ({ en, ar: en })) });
          }
        });
      }
      return json(res, 200, { id: listing.id, state: listing.state });
    }
    if (listing && req.method === 'POST' && match![2] === '/unpublish') {
      listing.state = { type: 'unpublished', stage: 'unpublished', reasons: [] };
      later(options.publishDelayMs ?? 100, () => deliver('listing.unpublished', { id: listing.id, type: 'listing' }, {}));
      return json(res, 200, { id: listing.id, state: listing.state });
    }
    return problem(res, 404, `No route ${req.method} ${path}`);
  }

  return {
    url: server.url,
    requests: server.requests,
    listings: () => [...listings.values()],
    tokenRequests: () => tokenCount,
    deliveries,
    fail: (count, status, options = {}) => faults.push(...Array.from({ length: count }, () => ({ status, afterApplying: options.afterApplying ?? false, only: options.only }))),
    heal: () => void faults.splice(0),
    subscribe: (eventId, callbackUrl, secret) => void subscriptions.push({ eventId, url: callbackUrl, secret }),
    emit: deliver,
    settled: async () => {
      while (inflight.size) await Promise.allSettled([...inflight]);
    },
    close: async () => {
      await Promise.allSettled([...inflight]);
      await server.close();
    },
  };
}

/** PF's business rules the fake enforces (422), a subset of the reference's. */
function validate(body: Record<string, unknown>, locations: { id: number }[], acceptHttpMedia = false): { pointer: string; detail: string }[] {
  const errors: { pointer: string; detail: string }[] = [];
  const title = body.title as { en?: string } | undefined;
  const description = body.description as { en?: string } | undefined;
  if (!body.reference) errors.push({ pointer: '/reference', detail: 'is required' });
  if (!title?.en) errors.push({ pointer: '/title/en', detail: 'is required' });
  if (!description?.en) errors.push({ pointer: '/description/en', detail: 'is required' });
  if (/\p{Extended_Pictographic}|<[a-z]/iu.test(`${title?.en ?? ''} ${description?.en ?? ''}`)) errors.push({ pointer: '/title/en', detail: 'emojis and HTML are not supported' });
  const location = body.location as { id?: number } | undefined;
  if (!locations.some((l) => l.id === location?.id)) errors.push({ pointer: '/location/id', detail: 'unknown location' });
  const emirate = body.uaeEmirate;
  if ((emirate === 'dubai' || emirate === 'abu_dhabi') && !(body.compliance as { listingAdvertisementNumber?: string } | undefined)?.listingAdvertisementNumber) {
    errors.push({ pointer: '/compliance', detail: 'is required in dubai and abu_dhabi' });
  }
  const images = (body.media as { images?: { original?: { url?: string } }[] } | undefined)?.images ?? [];
  if (!images.length) errors.push({ pointer: '/media/images', detail: 'at least one image' });
  images.forEach((image, i) => {
    if (!String(image.original?.url ?? '').startsWith('https://') && !(acceptHttpMedia && String(image.original?.url ?? '').startsWith('http://'))) errors.push({ pointer: `/media/images/${i}/original/url`, detail: 'must be HTTPS' });
  });
  return errors;
}
