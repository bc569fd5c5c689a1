import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { localIdentity } from './local-identity';
import { localPortals } from './local-portals';
import { localServiceUrls, portOffset } from './local-env';
import { services } from './services';

/**
 * `npm run start:stack`: each service in its own process, against a real PostgreSQL
 * (DATABASE_URL; PACE_AI_DATABASE_URL for pace-ai services) and, once services use the bus, the
 * Pub/Sub emulator (PUBSUB_EMULATOR_HOST). Output is prefixed with the service name; SIGTERM
 * or Ctrl-C stops them all.
 */
const offset = portOffset();
const children = new Map<string, ChildProcess>();
let stopping = false;

function prefix(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WriteStream): void {
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) out.write(`${name.padEnd(12)}| ${line}\n`);
  });
}

function stopAll(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) child.kill(signal);
}

async function waitReady(url: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    console.error('start:stack needs DATABASE_URL (a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/pace); `npm start` needs none.');
    process.exit(1);
  }
  const urls = localServiceUrls(services, offset);
  const identity = await localIdentity(urls.GATEWAY_URL);
  const portals = await localPortals(path.resolve(process.env.PACE_DATA_DIR ?? '.pace-data', 'stack'), urls.GATEWAY_URL);
  for (const service of services) {
    const env = {
      ...urls,
      ...identity.env,
      ...portals.env,
      ...process.env,
      PORT: String(service.defaultPort + offset),
      GRPC_PORT: service.defaultGrpcPort ? String(service.defaultGrpcPort + offset) : undefined,
      DATABASE_URL: service.db.database === 'pace_ai' ? process.env.PACE_AI_DATABASE_URL : process.env.DATABASE_URL,
    };
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'services', service.name, 'src', 'main.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    prefix(service.name, child.stdout, process.stdout);
    prefix(service.name, child.stderr, process.stderr);
    children.set(service.name, child);
    child.on('exit', (code) => {
      children.delete(service.name);
      if (!stopping) {
        console.error(`${service.name} exited with ${code}; stopping the others`);
        process.exitCode = 1;
        stopAll('SIGTERM');
      }
      if (children.size === 0) process.exit();
    });
  }
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => stopAll('SIGTERM'));
  for (const service of services) {
    const url = `http://127.0.0.1:${service.defaultPort + offset}`;
    console.log(`${service.name.padEnd(12)}  ${url}  ${(await waitReady(url, 30_000)) ? 'ready' : 'NOT READY after 30 s'}`);
  }
  console.log(identity.hint);
  console.log(await portals.configure(urls.SYNDICATION_URL, identity.env.CALLER_SIGNING_SECRET!).catch((error: Error) => `portals not configured: ${error.message}`));
}

void main();
