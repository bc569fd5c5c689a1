import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Db, createDataSource } from '@pace/database';
import { EventsServer, PubSubBus } from '@pace/events';
import { telephonyService } from '../../services/telephony/src/service';
import { profileStart, profileStop } from './profile';

/**
 * The pipeline's consumer in a process of its own, as deployed (the producer's relay and the
 * consumer are different services): bench/events/main.ts starts it with BENCH_DATABASE_URL and
 * BENCH_NAMESPACE, and reads progress from the inbox table. It says `ready` over IPC once
 * subscribed, and stops on SIGTERM. Under BENCH_PROFILE, `{ profile: name }` starts a CPU profile
 * and `{ profile: '' }` writes it; each is answered once done.
 */
async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const dataSource = createDataSource(telephonyService.db, process.env.BENCH_DATABASE_URL!, 20);
  await dataSource.initialize();
  const bus = new PubSubBus({ projectId: 'pace-bench', ordering: false, maxStreams: Number(process.env.BENCH_STREAMS), maxOutstanding: Number(process.env.BENCH_OUTSTANDING) });
  const server = new EventsServer({ service: 'bench-pipeline', db: new Db(dataSource), bus, namespace: process.env.BENCH_NAMESPACE!, maxDeliveryAttempts: 5, provision: true });
  server.addHandler('applicants.applicant-created.v1', async () => undefined, true);
  await new Promise<void>((resolve, reject) => void server.listen((error) => (error ? reject(error) : resolve())));
  process.on('message', (message: { profile: string }) => {
    void (message.profile ? profileStart(message.profile) : profileStop()).then(() => process.send?.('profiled'));
  });
  process.send?.('ready');
  process.once('SIGTERM', () => {
    void (async () => {
      await server.close();
      await bus.close();
      await dataSource.destroy();
      process.exit(0);
    })();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
