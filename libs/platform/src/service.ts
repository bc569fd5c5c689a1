import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, describeConfig, loadConfig, type z } from '@pace/config';
import { DatabaseModule, Db, type ServiceDatabase, runMigrations } from '@pace/database';
import { EVENT_BUS, type EventBus, EventsModule, EventsServer } from '@pace/events';
import { ProblemDetailsFilter } from '@pace/http';
import { PaceLogger, loggingModule, requestContext } from '@pace/logging';
import { TelemetryModule, startTracing } from '@pace/telemetry';
import type { BaseConfig } from './base-config';
import { HealthModule } from './health';
import { exitOnSignal } from './shutdown';

/** Everything the platform needs to know to run a service: in its own process or embedded. */
export interface ServiceDefinition<S extends z.ZodObject = z.ZodObject> {
  name: string;
  /** Port used when PORT is unset. */
  defaultPort: number;
  namespace: 'pace-web' | 'pace-ai';
  /** Environment schema (extends `baseEnv`). */
  env: S;
  db: ServiceDatabase;
  /**
   * The domains whose events this service consumes (`['applicants']` → a subscription
   * `<service>.pace.applicants.v1`). Its `@EventPattern` handlers receive them through the events
   * transport, each with its inbox row; provisioning (`scripts/pubsub.ts`, the charts) reads this.
   */
  consumes?: string[];
  /** The service's root module, built from its parsed config. */
  module: (config: z.infer<S>) => DynamicModule;
  /** Port of its gRPC server when GRPC_PORT is unset (domain services the gateway calls). */
  defaultGrpcPort?: number;
  /**
   * Wiring on the app after migrations and before it listens: a gRPC server, HTTP middleware, API
   * docs. Anything it connects is closed with the app.
   */
  setup?: (app: INestApplication, config: z.infer<S>) => void | Promise<void>;
}

export interface RunningService {
  name: string;
  url: string;
  app: INestApplication;
}

/** The platform modules every service imports: logging, its database, health, metrics. */
export function platformImports(definition: ServiceDefinition, config: BaseConfig): DynamicModule[] {
  return [
    loggingModule({ service: config.PROCESS_NAME ?? definition.name, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, gcpProject: config.GOOGLE_CLOUD_PROJECT }),
    DatabaseModule.forService({ db: definition.db, url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
    { module: HealthModule, global: false },
    TelemetryModule.forService(definition.name),
    EventsModule.forService(definition.name, config),
  ];
}

/**
 * Parses the environment (failing with one message), builds the app, migrates if asked, and
 * listens. `port` 0 picks a free port (tests).
 */
export async function startService<S extends z.ZodObject>(
  definition: ServiceDefinition<S>,
  environment: Record<string, string | undefined>,
  port?: number,
): Promise<RunningService> {
  const config = loadConfig(definition.name, definition.env, environment) as z.infer<S> & BaseConfig;
  startTracing({ serviceName: config.PROCESS_NAME ?? definition.name, exporter: config.TRACE_EXPORTER, sampleRatio: config.TRACE_SAMPLE_RATIO, projectId: config.GOOGLE_CLOUD_PROJECT });
  const app = await NestFactory.create(definition.module(config), { bufferLogs: true, abortOnError: false });
  const logger = app.get(PaceLogger);
  app.useLogger(logger);
  app.use(requestContext(definition.name));
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  if (config.MIGRATE_ON_START) {
    const applied = await runMigrations(app.get(Db).dataSource);
    if (applied.length) logger.log(`applied migrations: ${applied.join(', ')}`, definition.name);
  }
  if (definition.consumes?.length) {
    app.connectMicroservice(
      {
        strategy: new EventsServer({
          service: definition.name,
          bus: app.get<EventBus>(EVENT_BUS),
          db: app.get(Db),
          namespace: config.EVENTS_NAMESPACE,
          maxDeliveryAttempts: config.EVENTS_MAX_DELIVERY_ATTEMPTS,
          provision: config.EVENTS_PROVISION,
          consumes: definition.consumes,
          batchSize: config.EVENTS_BATCH_SIZE,
        }),
      },
      // Nest builds event handlers' filter chain from the app's config; ProblemDetailsFilter
      // hands non-HTTP errors back unchanged, so the transport sees the handler's own error.
      { inheritAppConfig: true },
    );
    await app.startAllMicroservices();
  }
  await definition.setup?.(app, config);
  await app.listen(port ?? config.PORT ?? definition.defaultPort, config.HOST);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${config.HOST}:${address.port}`;
  logger.log({ config: describeConfig(definition.env, config) }, `listening on ${url}`, definition.name);
  return { name: definition.name, url, app };
}

/** `main.ts` of a service run as its own process. */
export async function runStandalone(definition: ServiceDefinition): Promise<void> {
  try {
    const service = await startService(definition, process.env);
    const config = loadConfig(definition.name, definition.env, process.env) as BaseConfig;
    exitOnSignal([() => service.app.close()], config.SHUTDOWN_TIMEOUT_MS);
  } catch (error) {
    // Config errors are one readable line; anything else gets its stack.
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
}
