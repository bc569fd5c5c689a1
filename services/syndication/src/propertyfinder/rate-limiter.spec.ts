import { RateLimiter, backoff } from './rate-limiter';

describe('RateLimiter', () => {
  it('never lets more than the per-minute budget through in any 60 s window', async () => {
    let now = 0;
    const granted: number[] = [];
    const limiter = new RateLimiter(650, () => now, async (ms) => void (now += ms));
    for (let i = 0; i < 2000; i++) {
      await limiter.acquire();
      granted.push(now);
    }
    for (let i = 0; i + 650 < granted.length; i++) expect(granted[i + 650]! - granted[i]!).toBeGreaterThan(60_000);
    // …and lets the whole budget through when calls are due (no needless waiting).
    expect(granted[649]).toBe(0);
    expect(granted[650]).toBeLessThanOrEqual(60_001);
  });
});

describe('backoff', () => {
  it('grows exponentially under a cap, with full jitter', () => {
    expect(backoff(0, 100, 10_000, () => 0.999)).toBe(99);
    expect(backoff(3, 100, 10_000, () => 0.999)).toBe(799);
    expect(backoff(20, 100, 10_000, () => 0.999)).toBe(9990);
    expect(backoff(5, 100, 10_000, () => 0)).toBe(0);
  });
});
