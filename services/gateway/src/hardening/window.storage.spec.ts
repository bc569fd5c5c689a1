import { SlidingWindowStorage } from './window.storage';

describe('sliding-window rate limit store', () => {
  let now = 0;
  let store: SlidingWindowStorage;

  beforeEach(() => {
    now = 1_000_000_040_000; // 20 s into a minute window
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    store = new SlidingWindowStorage();
  });

  afterEach(() => {
    store.onModuleDestroy();
    jest.restoreAllMocks();
  });

  const hit = (key = 'user:a') => store.increment(key, 60_000, 3, 60_000, 'default');

  it('admits up to the limit per key, then refuses with the seconds until the window frees up', async () => {
    for (let i = 0; i < 3; i++) expect((await hit()).isBlocked).toBe(false);
    const refused = await hit();
    expect(refused.isBlocked).toBe(true);
    expect(refused.timeToBlockExpire).toBe(40);
    expect((await hit('user:b')).isBlocked).toBe(false);
  });

  it('weighs the previous window by its overlap, so a burst at a boundary cannot double the rate', async () => {
    for (let i = 0; i < 3; i++) await hit();
    now += 45_000; // 5 s into the next window: the previous one still counts 11/12 of its 3 hits
    expect((await hit()).isBlocked).toBe(true);
    now += 40_000; // 45 s in: 3 × 0.25 = 0.75 left
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(true);
  });
});
