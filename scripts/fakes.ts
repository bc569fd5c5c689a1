import path from 'node:path';
import { startFakeGoogle } from '@pace/testing';
import { LOCAL_ADMIN } from './local-identity';
import { localPortals } from './local-portals';

/**
 * docker compose's vendor fakes, in one container (image target `fakes`, not deployed): the
 * local Google sign-in and the local Property Finder that `npm start` uses, listening on every
 * interface, and the portals switched on once syndication answers. The container shares the
 * gateway's network (compose `network_mode: service:gateway`), so the issuer has one address for
 * the browser and the gateway alike: http://localhost:4010.
 *
 *   FAKE_GOOGLE_PORT (4010), FAKE_GOOGLE_ISSUER (http://localhost:4010), FAKE_PROPERTYFINDER_PORT
 *   (4020), SYNDICATION_URL, CALLER_SIGNING_SECRET, PACE_DATA_DIR (/data: keeps the fake's
 *   credentials, which syndication stores sealed, across restarts)
 */
async function main(): Promise<void> {
  const googlePort = Number(process.env.FAKE_GOOGLE_PORT ?? 4010);
  const google = await startFakeGoogle({
    host: '0.0.0.0',
    port: googlePort,
    publicUrl: process.env.FAKE_GOOGLE_ISSUER ?? `http://localhost:${googlePort}`,
    defaultEmail: LOCAL_ADMIN,
  });
  console.log(`fake Google sign-in at ${google.issuer}: any <name>@pace.test; ${LOCAL_ADMIN} is the first admin`);
  const portals = await localPortals(path.resolve(process.env.PACE_DATA_DIR ?? '/data'), process.env.GATEWAY_URL ?? 'http://localhost:3000', {
    host: '0.0.0.0',
    port: Number(process.env.FAKE_PROPERTYFINDER_PORT ?? 4020),
  });
  const syndicationUrl = process.env.SYNDICATION_URL ?? 'http://syndication:3103';
  const secret = process.env.CALLER_SIGNING_SECRET;
  if (!secret) throw new Error('CALLER_SIGNING_SECRET is missing: the fakes configure the portals as an admin of syndication');
  const stop = async () => {
    await Promise.allSettled([google.close(), portals.stop()]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // Syndication may still be starting: try for two minutes.
  for (let attempt = 1; ; attempt++) {
    try {
      console.log(await portals.configure(syndicationUrl, secret));
      return;
    } catch (error) {
      if (attempt >= 60) throw error;
      console.log(`waiting for syndication at ${syndicationUrl} (${(error as Error).message})`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
