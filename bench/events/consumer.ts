import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Db, createDataSource } from '@pace/database';
import { EventsServer, PubSubBus } from '@pace/events';
import { telephonyService } from '../../services/telephony/src/service';
import { profileStart, profileStop } from './profile';

/**
 * The pipeline's consumer in a process of its own, as deployed (the producer's relay and the
 * consumer are different services), and long-lived as a deployed consumer is: bench/events/main.ts
 * forks it once and reuses it for every split round (and the warm-up), so its code is compiled
 * before round 1 as the producer's is. Requests come over IPC, one at a time, each answered once:
 * `{ start: { url, namespace } }` subscribes the inbox of that scratch database to that
 * namespace's topic (answer: `ready`); `{ stop: true }` closes it (`stopped`); under BENCH_PROFILE,
 * `{ profile: name }` starts a CPU profile and `{ profile: '' }` writes it (`profiled`). It says
 * `up` once started, and ends on SIGTERM.
 */
type Request = { start: { url: string; namespace: string } } | { stop: true } | { profile: string };

interface Running {
  dataSource: DataSource;
  bus: PubSubBus;
  server: EventsServer;
}

let running: Running | undefined;

async function start(url: string, namespace: string): Promise<void> {
  const dataSource = createDataSource(telephonyService.db, url, 20);
  await dataSource.initialize();
  const bus = new PubSubBus({ projectId: 'pace-bench', ordering: false, maxStreams: Number(process.env.BENCH_STREAMS), maxOutstanding: Number(process.env.BENCH_OUTSTANDING) });
  const server = new EventsServer({ service: 'bench-pipeline', db: new Db(dataSource), bus, namespace, maxDeliveryAttempts: 5, provision: true });
  server.addHandler('applicants.applicant-created.v1', async () => undefined, true);
  await new Promise<void>((resolve, reject) => void server.listen((error) => (error ? reject(error) : resolve())));
  running = { dataSource, bus, server };
}

async function stop(): Promise<void> {
  if (!running) return;
  const { dataSource, bus, server } = running;
  running = undefined;
  await server.close();
  await bus.close();
  await dataSource.destroy();
}

async function handle(request: Request): Promise<string> {
  if ('start' in request) {
    await stop();
    await start(request.start.url, request.start.namespace);
    return 'ready';
  }
  if ('stop' in request) {
    await stop();
    return 'stopped';
  }
  await (request.profile ? profileStart(request.profile) : profileStop());
  return 'profiled';
}

function main(): void {
  Logger.overrideLogger(['error', 'warn']);
  process.on('message', (request: Request) => {
    handle(request).then(
      (answer) => process.send?.(answer),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  process.once('SIGTERM', () => void stop().finally(() => process.exit(0)));
  process.send?.('up');
}

main();
