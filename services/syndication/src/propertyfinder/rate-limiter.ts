/**
 * A sliding-window limiter: never more than `perMinute` calls in any 60 s window, which is how
 * the vendor counts (a token bucket of the same size would allow twice that across a window's
 * edge). Keeps the last `perMinute` grant times; waiters are served in order.
 */
export class RateLimiter {
  private readonly grants: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Resolves when one more call may be made. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.grants.length && this.grants[0]! <= now - 60_000) this.grants.shift();
      if (this.grants.length < this.perMinute) {
        this.grants.push(now);
        return;
      }
      await this.sleep(this.grants[0]! + 60_000 - now + 1);
    }
  }
}

/** Full-jitter exponential backoff: a random delay in [0, min(cap, base·2^attempt)). */
export function backoff(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
