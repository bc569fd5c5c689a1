import { Controller, type DynamicModule, Get, Header, Inject, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { Public } from '@pace/auth';
import { httpMetricsMiddleware } from './http';
import { collectProcessMetrics, eventMetrics, metrics } from './registry';

const SERVICE = Symbol('telemetry-service');

/**
 * Prometheus text exposition; Google Cloud Managed Prometheus scrapes it (PodMonitoring in the chart).
 * Public to the gateway's default-deny guard: scrapers carry no credentials (keep /metrics off the ingress).
 */
@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('content-type', metrics.contentType)
  @Header('cache-control', 'no-store')
  scrape(): Promise<string> {
    return metrics.text();
  }
}

/**
 * Metrics for one service: GET /metrics with the process metrics, the HTTP request-duration
 * histogram and the event backbone's metrics (declared here so every service exposes them, at
 * zero until the backbone counts something).
 */
@Module({})
export class TelemetryModule implements NestModule {
  constructor(@Inject(SERVICE) private readonly service: string) {}

  static forService(service: string): DynamicModule {
    collectProcessMetrics();
    eventMetrics();
    return { module: TelemetryModule, controllers: [MetricsController], providers: [{ provide: SERVICE, useValue: service }] };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(httpMetricsMiddleware(this.service)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
