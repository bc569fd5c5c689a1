import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Db } from '@pace/database';
import { DomainError } from '@pace/http';
import { SYNDICATION_CONFIG, type SyndicationConfig } from '../config';
import type { Portal } from '../projection/listing.model';
import { PortalSettingEntity } from './setting.entity';
import { Sealer, SealingUnavailableError } from './sealing';

export class SettingsConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface PortalSettingsView {
  portal: string;
  enabled: boolean;
  hasCredentials: boolean;
  credentialsKeyId: string | null;
  options: Record<string, string>;
  accessTokenRotatedAt: string | null;
  updatedAt: string;
}

/** Portal settings (Admin): on/off, sealed credentials, options, feed token / API key rotation. */
@Injectable()
export class SettingsService {
  private readonly logger = new Logger('settings');
  private readonly sealer: Sealer;

  constructor(
    private readonly db: Db,
    @Inject(SYNDICATION_CONFIG) config: SyndicationConfig,
  ) {
    this.sealer = new Sealer(config.SYNDICATION_ENCRYPTION_KEYS, config.SYNDICATION_ENCRYPTION_KEY_ID);
  }

  private repo() {
    return this.db.repository(PortalSettingEntity);
  }

  async get(portal: Portal): Promise<PortalSettingEntity> {
    return (
      (await this.repo().findOne({ where: { portal } })) ?? {
        portal,
        enabled: false,
        credentials: null,
        options: {},
        accessTokenHash: null,
        accessTokenRotatedAt: null,
        updatedAt: new Date(0),
      }
    );
  }

  view(s: PortalSettingEntity): PortalSettingsView {
    return {
      portal: s.portal,
      enabled: s.enabled,
      hasCredentials: s.credentials !== null,
      credentialsKeyId: s.credentials?.kid ?? null,
      options: s.options,
      accessTokenRotatedAt: s.accessTokenRotatedAt?.toISOString() ?? null,
      updatedAt: s.updatedAt.toISOString(),
    };
  }

  /** The portal's decrypted credentials; undefined when none are stored. */
  async credentials(portal: Portal): Promise<Record<string, string> | undefined> {
    const s = await this.get(portal);
    return s.credentials ? this.sealer.open(s.credentials, portal) : undefined;
  }

  async update(portal: Portal, change: { enabled?: boolean; credentials?: Record<string, string> | null; options?: Record<string, string> }): Promise<PortalSettingEntity> {
    return this.db.transaction(async () => {
      const s = await this.get(portal);
      if (change.enabled !== undefined) s.enabled = change.enabled;
      if (change.options) s.options = { ...s.options, ...change.options };
      if (change.credentials === null) s.credentials = null;
      else if (change.credentials) {
        try {
          // The portal name is the additional data: a sealed value moved to another row will not open.
          s.credentials = this.sealer.seal(change.credentials, portal);
        } catch (error) {
          if (error instanceof SealingUnavailableError) throw new SettingsConflictError('encryption-unavailable', error.message);
          throw error;
        }
      }
      s.updatedAt = new Date();
      await this.repo().save(s);
      this.logger.log(`${portal} settings changed (enabled: ${s.enabled}, credentials: ${s.credentials ? `sealed with ${s.credentials.kid}` : 'none'})`);
      return s;
    });
  }

  /** A new Bayut feed token or website API key; the old one stops working at once. Shown once. */
  async rotateAccessToken(portal: Portal): Promise<{ token: string; rotatedAt: string }> {
    const token = randomBytes(24).toString('base64url');
    const s = await this.get(portal);
    s.accessTokenHash = hashToken(token);
    s.accessTokenRotatedAt = new Date();
    s.updatedAt = new Date();
    await this.repo().save(s);
    this.logger.log(`${portal} access token rotated`);
    return { token, rotatedAt: s.accessTokenRotatedAt.toISOString() };
  }

  /** The enabled portal whose access token this is, or undefined. */
  async byAccessToken(portal: Portal, token: string): Promise<PortalSettingEntity | undefined> {
    const s = await this.repo().findOne({ where: { portal, accessTokenHash: hashToken(token) } });
    return s?.enabled ? s : undefined;
  }

  /** Re-seals every credential with the active key (after adding a new key and making it active). */
  async reseal(): Promise<{ resealed: number; keyId: string }> {
    const keyId = this.sealer.kid;
    let resealed = 0;
    for (const s of await this.repo().find()) {
      if (!s.credentials || s.credentials.kid === keyId) continue;
      s.credentials = this.sealer.seal(this.sealer.open(s.credentials, s.portal), s.portal);
      await this.repo().save(s);
      resealed += 1;
    }
    return { resealed, keyId };
  }
}
