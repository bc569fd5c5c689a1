import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

interface Window {
  /** Start of the current window (ms). */
  start: number;
  count: number;
  /** Hits of the window before it. */
  previous: number;
}

/**
 * Sliding-window counters: O(1) per request and per key. (The throttler's default store keeps
 * one timestamp per hit and filters them on every request, which at a few hundred requests a
 * second per token costs more than the request itself.) The estimate weighs the previous
 * window by how much of it still overlaps the last `ttl`; a request over the limit is refused
 * and told when the estimate will have fallen below it.
 */
@Injectable()
export class SlidingWindowStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  private readonly sweep = setInterval(() => this.evict(), 60_000);

  constructor() {
    this.sweep.unref();
  }

  increment(key: string, ttl: number, limit: number, _blockDuration: number, name: string) {
    const now = Date.now();
    const start = now - (now % ttl);
    const id = `${name}:${key}`;
    let window = this.windows.get(id);
    if (!window) {
      window = { start, count: 0, previous: 0 };
      this.windows.set(id, window);
    } else if (window.start !== start) {
      window.previous = window.start === start - ttl ? window.count : 0;
      window.count = 0;
      window.start = start;
    }
    const overlap = 1 - (now - start) / ttl;
    const estimate = window.previous * overlap + window.count;
    const timeToExpire = Math.ceil((start + ttl - now) / 1000);
    if (estimate + 1 > limit) {
      // When does previous * (1 - (t - start) / ttl) + count drop below limit?
      const freeAt = window.count + 1 > limit ? start + ttl : start + ttl * (1 - (limit - window.count - 1) / window.previous);
      return Promise.resolve({ totalHits: Math.ceil(estimate) + 1, timeToExpire, isBlocked: true, timeToBlockExpire: Math.max(1, Math.ceil((freeAt - now) / 1000)) });
    }
    window.count++;
    return Promise.resolve({ totalHits: Math.ceil(estimate) + 1, timeToExpire, isBlocked: false, timeToBlockExpire: 0 });
  }

  private evict(): void {
    const now = Date.now();
    for (const [id, window] of this.windows) {
      // Two windows of the longest ttl we use (a minute) without a hit: nothing left to weigh.
      if (now - window.start > 120_000) this.windows.delete(id);
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }
}
