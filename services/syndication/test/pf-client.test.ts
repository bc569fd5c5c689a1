import { startFakePropertyFinder, type FakePropertyFinder } from '@pace/testing';
import { PfClient, PfError } from '../src/propertyfinder/pf.client';

// The Property Finder client against the fake PF: token caching, early refresh, single flight.
let pf: FakePropertyFinder;

beforeAll(async () => {
  pf = await startFakePropertyFinder({ tokenExpiresIn: 3 });
});

afterAll(async () => {
  await pf.close();
});

const client = (overrides: Partial<ConstructorParameters<typeof PfClient>[1]> = {}, apiSecret = 'pf-test-secret') =>
  new PfClient({ apiKey: 'pf-test-key', apiSecret }, { baseUrl: pf.url, perMinute: 600, tokenPerMinute: 30, timeoutMs: 1000, retries: 2, retryBaseMs: 10, ...overrides });

describe('PfClient', () => {
  it('shares one token request among concurrent calls on a cold start', async () => {
    const before = pf.tokenRequests();
    const c = client();
    const results = await Promise.all(Array.from({ length: 20 }, () => c.locations('Marina')));
    expect(results.every((r) => r.length > 0)).toBe(true);
    expect(pf.tokenRequests() - before).toBe(1);
  });

  it('renews the token before it expires, so no call is refused for an expired token', async () => {
    const before = pf.tokenRequests();
    const c = client();
    const until = Date.now() + 4500;
    let calls = 0;
    while (Date.now() < until) {
      await c.locations('Downtown');
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // 3 s tokens, renewed at 80 %: two or three token requests for ~4.5 s of calls.
    const tokens = pf.tokenRequests() - before;
    expect(tokens).toBeGreaterThanOrEqual(2);
    expect(tokens).toBeLessThanOrEqual(3);
    expect(calls).toBeGreaterThan(tokens * 5);
    // Every call carried a valid token: none was retried after a 401.
    expect(c.calls).toBe(calls + tokens);
  });

  it('says why when the credentials are wrong (401 from the token endpoint, not retried)', async () => {
    const c = client({}, 'wrong');
    await expect(c.locations('Marina')).rejects.toMatchObject({ status: 401, retryable: false, detail: 'Invalid API credentials' });
    await expect(c.locations('Marina')).rejects.toBeInstanceOf(PfError);
  });
});
