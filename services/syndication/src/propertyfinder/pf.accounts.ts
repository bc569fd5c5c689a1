import { Inject, Injectable } from '@nestjs/common';
import { SYNDICATION_CONFIG, type SyndicationConfig } from '../config';
import { SettingsService } from '../settings/settings.service';
import { PfClient } from './pf.client';

/**
 * The Property Finder client for the stored credentials, kept while they are unchanged, so its
 * token cache and rate limiter span every job.
 */
@Injectable()
export class PfAccounts {
  private current: { stamp: string; client: PfClient } | undefined;

  constructor(
    private readonly settings: SettingsService,
    @Inject(SYNDICATION_CONFIG) private readonly config: SyndicationConfig,
  ) {}

  /** The client and account options, or why there is none. */
  async client(): Promise<{ client: PfClient; options: Record<string, string> } | { unavailable: string }> {
    const s = await this.settings.get('propertyfinder');
    if (!s.enabled) return { unavailable: 'Property Finder is disabled in the portal settings' };
    if (!s.credentials) return { unavailable: 'Property Finder has no API credentials in the portal settings' };
    const stamp = `${s.updatedAt.toISOString()}|${s.credentials.data}`;
    if (this.current?.stamp !== stamp) {
      const creds = await this.settings.credentials('propertyfinder');
      if (!creds?.apiKey || !creds.apiSecret) return { unavailable: 'Property Finder credentials lack apiKey or apiSecret' };
      const client = new PfClient(
        { apiKey: creds.apiKey, apiSecret: creds.apiSecret },
        {
          baseUrl: this.config.PROPERTYFINDER_API_URL.replace(/\/$/, ''),
          perMinute: this.config.PROPERTYFINDER_RATE_PER_MINUTE,
          tokenPerMinute: this.config.PROPERTYFINDER_TOKEN_RATE_PER_MINUTE,
          timeoutMs: this.config.PROPERTYFINDER_TIMEOUT_MS,
          retries: this.config.PROPERTYFINDER_RETRIES,
          retryBaseMs: this.config.PROPERTYFINDER_RETRY_BASE_MS,
        },
      );
      this.current = { stamp, client };
    }
    return { client: this.current.client, options: s.options };
  }

  async webhookSecret(): Promise<string | undefined> {
    const creds = await this.settings.credentials('propertyfinder');
    return creds?.webhookSecret || undefined;
  }
}
