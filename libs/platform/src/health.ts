import { Controller, Get, Injectable, type BeforeApplicationShutdown, Module, ServiceUnavailableException } from '@nestjs/common';
import { Public } from '@pace/auth';
import { Db } from '@pace/database';
import { HealthCheck, HealthCheckService, TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';

/** Flips to "draining" on shutdown so load balancers stop sending work before the server closes. */
@Injectable()
export class Lifecycle implements BeforeApplicationShutdown {
  draining = false;
  beforeApplicationShutdown(): void {
    this.draining = true;
  }
}

/** Probes answer anyone: load balancers and kubelets carry no credentials. */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly db: Db,
    private readonly lifecycle: Lifecycle,
  ) {}

  /** The process is up; restart it only when this fails. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** The service can do its work: its database answers and it is not shutting down. */
  @Get('ready')
  @HealthCheck()
  ready() {
    if (this.lifecycle.draining) throw new ServiceUnavailableException('shutting down');
    return this.health.check([() => this.typeorm.pingCheck('database', { connection: this.db.dataSource, timeout: 2000 })]);
  }
}

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [Lifecycle],
  exports: [Lifecycle],
})
export class HealthModule {}
