import { execFileSync, spawn } from 'node:child_process';
import { freePort } from './net';

/**
 * Starts the gcloud Pub/Sub emulator on a free loopback port, as its own process group (gcloud
 * wrapper + Java), and returns where it listens. Stop it with `process.kill(-pid)`.
 */
export async function startPubSubEmulator(): Promise<{ host: string; pid: number }> {
  try {
    execFileSync('gcloud', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'PUBSUB_EMULATOR_HOST is unset and gcloud is not installed: install the Google Cloud CLI with the ' +
        '"pubsub-emulator" component (Debian: google-cloud-cli-pubsub-emulator), or point PUBSUB_EMULATOR_HOST at a running emulator.',
    );
  }
  const port = await freePort();
  const child = spawn('gcloud', ['beta', 'emulators', 'pubsub', 'start', `--host-port=127.0.0.1:${port}`, '--project=pace-test', '--quiet'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the Pub/Sub emulator did not start within 60 s')), 60_000);
    const onData = (chunk: Buffer) => {
      if (chunk.toString().includes('Server started')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the Pub/Sub emulator exited with ${code}`)));
  });
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  child.unref();
  return { host: `127.0.0.1:${port}`, pid: child.pid! };
}
