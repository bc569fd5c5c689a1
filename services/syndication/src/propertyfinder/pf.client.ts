import { Logger } from '@nestjs/common';
import { RateLimiter, backoff } from './rate-limiter';

export interface PfCredentials {
  apiKey: string;
  apiSecret: string;
}

export interface PfClientOptions {
  baseUrl: string;
  perMinute: number;
  tokenPerMinute: number;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
}

export interface PfListing {
  id: string;
  reference?: string;
  state?: { type?: string; stage?: string; reasons?: unknown[] };
}

export interface PfLocation {
  id: number;
  name: string;
  type?: string;
  path?: string;
}

/** A refusal or failure from Property Finder, with what it said. */
export class PfError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    /** 429, 5xx, timeouts and network errors: trying later may succeed. */
    readonly retryable: boolean,
  ) {
    super(`Property Finder ${status || 'unreachable'}: ${detail}`);
    this.name = 'PfError';
  }
}

/** What PF's error bodies say, in either of its two shapes (legacy or RFC 9457 v2). */
function describeError(body: unknown): string {
  if (!body || typeof body !== 'object') return String(body ?? '').slice(0, 500);
  const b = body as { detail?: string; title?: string; message?: string; errors?: { detail?: string; message?: string; pointer?: string; field?: string }[] };
  const parts = [b.detail ?? b.title ?? b.message].filter(Boolean) as string[];
  for (const e of b.errors ?? []) parts.push(`${e.pointer ?? e.field ?? ''} ${e.detail ?? e.message ?? ''}`.trim());
  return parts.join('; ').slice(0, 1000) || JSON.stringify(body).slice(0, 500);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Property Finder Enterprise API: token exchange (cached, refreshed early, one request at a
 * time, under its own 60/min budget), a client-side limiter at the documented 650/min, and
 * retries with jittered backoff on 429, 5xx, timeouts and network errors.
 */
export class PfClient {
  private readonly logger = new Logger('propertyfinder');
  private readonly limiter: RateLimiter;
  private readonly tokenLimiter: RateLimiter;
  private token: { value: string; refreshAt: number; expiresAt: number } | undefined;
  private tokenRequest: Promise<string> | undefined;
  /** Calls made, failed ones included (for the publication's attempt count). */
  calls = 0;

  constructor(
    private readonly credentials: PfCredentials,
    private readonly options: PfClientOptions,
  ) {
    this.limiter = new RateLimiter(options.perMinute);
    this.tokenLimiter = new RateLimiter(options.tokenPerMinute);
  }

  /** A valid access token: cached until shortly before expiry; concurrent callers share one request. */
  async accessToken(): Promise<string> {
    const now = Date.now();
    if (this.token && now < this.token.refreshAt) return this.token.value;
    // Past the refresh point but still valid: refresh in the background, keep using the old one.
    if (this.token && now < this.token.expiresAt - 5_000) {
      void this.refresh().catch(() => undefined);
      return this.token.value;
    }
    return this.refresh();
  }

  private refresh(): Promise<string> {
    this.tokenRequest ??= this.fetchToken().finally(() => (this.tokenRequest = undefined));
    return this.tokenRequest;
  }

  private async fetchToken(): Promise<string> {
    const body = await this.send<{ accessToken: string; expiresIn: number }>('POST', '/v1/auth/token', { apiKey: this.credentials.apiKey, apiSecret: this.credentials.apiSecret }, false);
    const lifetime = Math.max(1, body.expiresIn) * 1000;
    const issued = Date.now();
    // Refresh 60 s early (or at 80 % of a shorter lifetime), so no request carries a dying token.
    this.token = { value: body.accessToken, refreshAt: issued + Math.max(lifetime * 0.8, lifetime - 60_000), expiresAt: issued + lifetime };
    return body.accessToken;
  }

  private async send<T>(method: string, path: string, body: unknown, authorized = true): Promise<T> {
    let unauthorizedOnce = false;
    for (let attempt = 0; ; attempt++) {
      await (authorized ? this.limiter : this.tokenLimiter).acquire();
      const headers: Record<string, string> = { accept: 'application/json', 'x-pf-error-format': 'problem-json-v2' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (authorized) headers.authorization = `Bearer ${await this.accessToken()}`;
      let failure: PfError;
      let retryAfterMs: number | undefined;
      this.calls += 1;
      try {
        const res = await fetch(this.options.baseUrl + path, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        const text = await res.text();
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text for the message
        }
        if (res.ok) return parsed as T;
        if (res.status === 401 && authorized && !unauthorizedOnce) {
          // The token was revoked or expired early: get a new one, once.
          unauthorizedOnce = true;
          this.token = undefined;
          attempt--;
          continue;
        }
        const retryable = res.status === 429 || res.status >= 500;
        failure = new PfError(res.status, describeError(parsed), retryable);
        const header = Number(res.headers.get('retry-after'));
        if (Number.isFinite(header) && header > 0) retryAfterMs = Math.min(header * 1000, 60_000);
      } catch (error) {
        const name = (error as Error).name;
        failure = new PfError(0, name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : (error as Error).message, true);
      }
      if (!failure.retryable || attempt >= this.options.retries) throw failure;
      const delay = retryAfterMs ?? backoff(attempt, this.options.retryBaseMs, 30_000);
      this.logger.warn(`${method} ${path} failed (${failure.message}); retry ${attempt + 1}/${this.options.retries} in ${delay} ms`);
      await sleep(delay);
    }
  }

  findByReference(reference: string): Promise<PfListing | undefined> {
    return this.send<{ results?: PfListing[] }>('GET', `/v1/listings?filter[reference]=${encodeURIComponent(reference)}&perPage=1`, undefined).then((r) => r.results?.[0]);
  }

  /** A listing by PF id (through the search, which carries `state`). */
  byId(id: string): Promise<PfListing | undefined> {
    return this.send<{ results?: PfListing[] }>('GET', `/v1/listings?filter[ids]=${encodeURIComponent(id)}&perPage=1`, undefined).then((r) => r.results?.[0]);
  }

  create(listing: Record<string, unknown>): Promise<PfListing> {
    return this.send('POST', '/v1/listings', listing);
  }

  update(id: string, listing: Record<string, unknown>): Promise<PfListing> {
    return this.send('PUT', `/v1/listings/${encodeURIComponent(id)}`, listing);
  }

  publish(id: string): Promise<PfListing> {
    return this.send('POST', `/v1/listings/${encodeURIComponent(id)}/publish`, {});
  }

  unpublish(id: string): Promise<PfListing> {
    return this.send('POST', `/v1/listings/${encodeURIComponent(id)}/unpublish`, {});
  }

  locations(search: string): Promise<PfLocation[]> {
    return this.send<{ data?: PfLocation[]; results?: PfLocation[] }>('GET', `/v1/locations?search=${encodeURIComponent(search)}&perPage=20`, undefined).then((r) => r.data ?? r.results ?? []);
  }
}
