import { type BeforeApplicationShutdown, type DynamicModule, Global, Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { Db } from '@pace/database';
import type { EventBus } from './bus';
import type { EventsConfig } from './config';
import { topicOf } from './envelope';
import { sharedInProcessBus } from './memory.bus';
import { Outbox } from './outbox';
import { PubSubBus } from './pubsub.bus';
import { OutboxRelay } from './relay';

export const EVENT_BUS = Symbol('EVENT_BUS');

export function createBus(config: EventsConfig & { GOOGLE_CLOUD_PROJECT?: string }): EventBus {
  if (config.EVENT_BUS === 'memory') return sharedInProcessBus();
  return new PubSubBus({
    projectId: config.GOOGLE_CLOUD_PROJECT ?? 'pace-local',
    ordering: config.EVENTS_ORDERING,
    maxStreams: config.EVENTS_MAX_STREAMS,
    maxOutstanding: config.EVENTS_MAX_OUTSTANDING,
  });
}

/** Starts the relay with the app and stops it (after in-flight publishing) on shutdown. */
class RelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly ownTopic?: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Only services that keep an outbox (eventEntities in their schema) publish.
    if (!this.relay.hasOutbox) return;
    if (this.ownTopic) await this.bus.provision([], [this.ownTopic]);
    await this.relay.start();
  }

  /** Before the database closes (TypeORM closes it in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    // The in-process bus is shared by every service of the process; it ends with the process.
    if (this.bus.kind === 'pubsub') await this.bus.close();
  }
}

@Global()
@Module({})
export class EventsModule {
  static forService(service: string, config: EventsConfig & { GOOGLE_CLOUD_PROJECT?: string }): DynamicModule {
    return {
      module: EventsModule,
      providers: [
        { provide: EVENT_BUS, useFactory: () => createBus(config) },
        { provide: Outbox, useFactory: (db: Db) => new Outbox(db, service, config.EVENTS_NAMESPACE), inject: [Db] },
        {
          provide: OutboxRelay,
          useFactory: (db: Db, bus: EventBus, outbox: Outbox) => {
            const relay = new OutboxRelay(db, bus, {
              batchSize: config.OUTBOX_BATCH_SIZE,
              pollMs: config.OUTBOX_POLL_MS,
              leaseMs: 30_000,
              retentionMs: 3_600_000,
              listen: config.OUTBOX_LISTEN,
            });
            outbox.onCommitted(() => relay.wake());
            return relay;
          },
          inject: [Db, EVENT_BUS, Outbox],
        },
        {
          provide: RelayLifecycle,
          // A producer publishes to `pace.<its domain>.v1`; create it when provisioning is on.
          useFactory: (relay: OutboxRelay, bus: EventBus) =>
            new RelayLifecycle(relay, bus, config.EVENTS_PROVISION ? topicOf(`${service}.any`, config.EVENTS_NAMESPACE) : undefined),
          inject: [OutboxRelay, EVENT_BUS],
        },
      ],
      exports: [Outbox, OutboxRelay, EVENT_BUS],
    };
  }
}
