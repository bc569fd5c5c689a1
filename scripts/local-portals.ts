import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CALLER_HEADER, CALLER_SIGNATURE_HEADER, signCaller } from '@pace/auth';
import { type FakePropertyFinder, startFakePropertyFinder } from '@pace/testing';

/** What a local run keeps between starts: the sealing key, the fake's credentials, the tokens shown once. */
interface LocalSecrets {
  encryptionKeys: string;
  pfApiKey: string;
  pfApiSecret: string;
  pfWebhookSecret: string;
  bayutFeedToken?: string;
  websiteApiKey?: string;
}

export interface LocalPortals {
  /** Variables for the services (syndication's Property Finder URL and keys; absolute media URLs). */
  env: Record<string, string>;
  /** Once the services answer: turns the portals on (first start only) and subscribes the fake's webhooks. */
  configure: (syndicationUrl: string, callerSecret: string) => Promise<string>;
  stop: () => Promise<void>;
}

const WEBHOOK_EVENTS = ['listing.published', 'listing.publishFailed', 'listing.unpublished', 'listing.action', 'lead.created', 'lead.assigned', 'lead.updated'];

/** Communities of the demo listings, so the fake finds a Property Finder location for each. */
const LOCATIONS = [
  { id: 50, name: 'Dubai Marina', type: 'COMMUNITY' },
  { id: 60, name: 'Downtown Dubai', type: 'COMMUNITY' },
  { id: 70, name: 'Palm Jumeirah', type: 'COMMUNITY' },
  { id: 80, name: 'Jumeirah Village Circle', type: 'COMMUNITY' },
  { id: 90, name: 'Arabian Ranches', type: 'COMMUNITY' },
  { id: 100, name: 'Al Majaz', type: 'COMMUNITY' },
];

function loadSecrets(file: string): LocalSecrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  const secrets: LocalSecrets = {
    encryptionKeys: `local1:${randomBytes(32).toString('base64')}`,
    pfApiKey: `local-${randomBytes(8).toString('hex')}`,
    pfApiSecret: randomBytes(16).toString('hex'),
    pfWebhookSecret: randomBytes(12).toString('hex'),
  };
  saveSecrets(file, secrets);
  return secrets;
}

function saveSecrets(file: string, secrets: LocalSecrets): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2));
  chmodSync(file, 0o600);
}

/**
 * Portals that work out of the box for `npm start` and `start:stack`: unless PROPERTYFINDER_API_URL
 * names a real one, a local Property Finder (the fake the tests use: token exchange, listings,
 * asynchronous publish, signed webhooks) receives the pushes, and on the first start Property
 * Finder, Bayut and the website are switched on through syndication's own settings API, so the
 * demo listings go live (or show why not). Keys and the tokens shown once are kept in
 * `<data dir>/local-portals.json` (mode 600, git-ignored with the data dir).
 */
export async function localPortals(dataDir: string, gatewayUrl: string, listen: { host?: string; port?: number } = {}): Promise<LocalPortals> {
  const file = path.join(dataDir, 'local-portals.json');
  const secrets = loadSecrets(file);
  const realPf = process.env.PROPERTYFINDER_API_URL;
  const pf: FakePropertyFinder | undefined = realPf
    ? undefined
    : await startFakePropertyFinder({ apiKey: secrets.pfApiKey, apiSecret: secrets.pfApiSecret, locations: LOCATIONS, publishDelayMs: 500, acceptHttpMedia: true, ...listen });
  const env: Record<string, string> = {
    SYNDICATION_ENCRYPTION_KEYS: process.env.SYNDICATION_ENCRYPTION_KEYS ?? secrets.encryptionKeys,
    // Media is served by the gateway over http here; portals need absolute URLs to fetch.
    LISTINGS_MEDIA_ROUTE_BASE: process.env.LISTINGS_MEDIA_ROUTE_BASE ?? `${gatewayUrl}/api/v1`,
    SYNDICATION_REQUIRE_HTTPS_MEDIA: process.env.SYNDICATION_REQUIRE_HTTPS_MEDIA ?? 'false',
    ...(pf ? { PROPERTYFINDER_API_URL: pf.url } : {}),
  };

  const configure = async (syndicationUrl: string, callerSecret: string): Promise<string> => {
    const admin = signCaller({ kind: 'user', id: '00000000-0000-7000-8000-000000000001', role: 'admin', teamIds: [] }, { secret: callerSecret, audience: 'syndication' });
    const call = async (method: string, route: string, body?: unknown) => {
      const res = await fetch(`${syndicationUrl}${route}`, {
        method,
        headers: { [CALLER_HEADER]: admin.value, [CALLER_SIGNATURE_HEADER]: admin.signature, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) throw new Error(`local portals: ${method} ${route} answered ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    if (pf) for (const type of WEBHOOK_EVENTS) pf.subscribe(type, `${syndicationUrl}/webhooks/propertyfinder`, secrets.pfWebhookSecret);
    const settings = (await call('GET', '/settings/portals')).items as { portal: string; updatedAt: string }[];
    // Only portals nobody has configured yet: later choices (an admin turning one off) stand.
    const untouched = (portal: string) => settings.find((s) => s.portal === portal)?.updatedAt === new Date(0).toISOString();
    if (pf && untouched('propertyfinder')) {
      await call('PUT', '/settings/portals/propertyfinder', {
        enabled: true,
        credentials: { apiKey: secrets.pfApiKey, apiSecret: secrets.pfApiSecret, webhookSecret: secrets.pfWebhookSecret },
        options: { licenseNumber: 'LOCAL-12345', publicProfileId: '1' },
      });
    }
    if (untouched('bayut')) {
      await call('PUT', '/settings/portals/bayut', { enabled: true, options: { agentName: 'Allsop & Allsop', agentEmail: 'listings@pace.test', agentPhone: '+97140000000' } });
      secrets.bayutFeedToken = (await call('POST', '/settings/portals/bayut/access-token')).token as string;
    }
    if (untouched('website')) {
      await call('PUT', '/settings/portals/website', { enabled: true });
      secrets.websiteApiKey = (await call('POST', '/settings/portals/website/access-token')).token as string;
    }
    saveSecrets(file, secrets);
    return (
      `  portals      Property Finder: ${pf ? `local fake at ${pf.url}` : realPf}\n` +
      (secrets.bayutFeedToken ? `               Bayut feed ${syndicationUrl}/feeds/bayut/${secrets.bayutFeedToken}.xml\n` : '') +
      (secrets.websiteApiKey ? `               website API ${syndicationUrl}/portal/v1/listings (X-API-Key: see ${path.relative(process.cwd(), file)})\n` : '')
    ).trimEnd();
  };
  return { env, configure, stop: async () => pf?.close() };
}
