import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Db } from '@pace/database';
import { type CredentialListener, CredentialsRepository } from './credentials.repository';

/** An entry is re-read from the database after this long even without a notification (a safety net, not the mechanism). */
const MAX_AGE_MS = 5 * 60_000;
/** More distinct live credentials than this and the cache starts over (it holds only valid ones). */
const MAX_ENTRIES = 10_000;
/** How long the start-up probe waits for its own notification to come back. */
const PROBE_TIMEOUT_MS = 2_000;
const RECONNECT_MS = 1_000;

/** What is cached: an API token's look-up, or a session's (keys never collide: different prefixes). */
export type CredentialKind = 'token' | 'session';

/**
 * The credential look-up of every request (API token → principal, session cookie → user, role,
 * teams), kept in memory — only while this process is sure to hear of every change that could
 * end or alter what a credential grants:
 *
 * - Triggers on `api_token`, `service_principal`, `session`, `user_account` and
 *   `team_membership` NOTIFY `pace_gateway_credentials` when a change commits (revocation,
 *   expiry, scopes, deactivation, role, teams, deletion; migrations CredentialNotify,
 *   SessionNotify). A notification clears the whole cache: such changes are rare.
 * - The cache serves nothing until a LISTEN connection is up *and* a probe notification sent from
 *   another connection has come back on it (the embedded PGlite server cannot deliver across
 *   connections: there the cache stays off). If that connection fails, the cache is cleared and off
 *   until a new one has passed the probe.
 * - This process's own writes to those rows (`invalidateOnCommit`, called by the repositories
 *   that make them) also clear it as their transaction commits, before the response is sent: on
 *   the replica that revoked or deactivated, the next request fails.
 *   Other replicas drop the token when the notification arrives (milliseconds after the commit).
 * - Only credentials that passed every check are kept; a refusal always comes from a fresh read. A
 *   look-up that began before a clear does not store its (possibly stale) answer (`generation`).
 */
@Injectable()
export class CredentialCache implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('credential-cache');
  private readonly entries = new Map<string, { row: unknown; at: number }>();
  private generationCount = 0;
  private listener?: CredentialListener;
  private live = false;
  private stopped = false;
  private reconnectTimer?: NodeJS.Timeout;
  private probe?: { payload: string; arrived: () => void };
  private connecting?: Promise<void>;

  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly db: Db,
  ) {}

  /** Whether look-ups are served from memory (tests and health checks may ask). */
  get enabled(): boolean {
    return this.live;
  }

  /** Changes whenever the cache is cleared; pass it to `set` from before the database read. */
  get generation(): number {
    return this.generationCount;
  }

  get<T>(kind: CredentialKind, hash: string, now = Date.now()): T | undefined {
    if (!this.live) return undefined;
    const key = `${kind}:${hash}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.at > MAX_AGE_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.row as T;
  }

  set<T>(kind: CredentialKind, hash: string, row: T, generation: number): void {
    if (!this.live || generation !== this.generationCount) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(`${kind}:${hash}`, { row, at: Date.now() });
  }

  /** Drops every entry (a credential changed somewhere). */
  invalidate(): void {
    this.generationCount++;
    this.entries.clear();
  }

  /**
   * For repositories writing credential state: drops every entry as the current transaction
   * commits (at once outside one). The triggers' notification follows; this makes the change
   * take effect on this replica before its response goes out.
   */
  invalidateOnCommit(): void {
    this.db.onCommit(() => this.invalidate());
  }

  /** Not awaited: until the listener is proven, look-ups simply go to the database. */
  onApplicationBootstrap(): void {
    this.connecting = this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.live = false;
    clearTimeout(this.reconnectTimer);
    this.invalidate();
    this.probe?.arrived();
    // A connect in progress (a probe's notify still queued, say) is not waited for long: it
    // closes what it opened itself once it sees `stopped`.
    await Promise.race([this.connecting, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      const listener = await this.credentials.listen(
        (payload) => this.notified(payload),
        (error) => this.lost(error),
      );
      if (this.stopped) return void (await listener.close());
      this.listener = listener;
      const delivered = await this.probeDelivery();
      // Lost while probing: lost() has already scheduled what comes next.
      if (this.listener !== listener) return;
      if (this.stopped) {
        this.listener = undefined;
        return void (await listener.close());
      }
      if (!delivered) {
        this.logger.log('credential notifications do not arrive across connections (the embedded server): tokens and sessions are looked up on every request');
        this.listener = undefined;
        await listener.close();
        return;
      }
      this.invalidate();
      this.live = true;
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn({ err: error }, 'cannot LISTEN for credential changes: tokens and sessions are looked up on every request until it can');
      const listener = this.listener;
      this.listener = undefined;
      await listener?.close();
      this.scheduleReconnect();
    }
  }

  private async probeDelivery(): Promise<boolean> {
    const payload = `probe:${randomUUID()}`;
    const arrived = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS).unref();
      this.probe = {
        payload,
        arrived: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
    });
    try {
      await this.credentials.notify(payload);
      return await arrived;
    } finally {
      this.probe?.arrived();
      this.probe = undefined;
    }
  }

  private notified(payload: string): void {
    if (this.probe && payload === this.probe.payload) return this.probe.arrived();
    if (payload.startsWith('probe:')) return;
    this.invalidate();
  }

  private lost(error?: Error): void {
    this.live = false;
    this.invalidate();
    this.listener = undefined;
    if (this.stopped) return;
    this.logger.warn({ err: error }, 'credential LISTEN connection lost: tokens and sessions are looked up on every request until it is back');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.connecting = this.connect();
    }, RECONNECT_MS);
    this.reconnectTimer.unref();
  }
}
