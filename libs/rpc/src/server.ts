import path from 'node:path';
import type { Metadata } from '@grpc/grpc-js';
import { type ArgumentsHost, Catch, type CallHandler, type ExecutionContext, type INestApplication, Logger, type NestInterceptor, type RpcExceptionFilter } from '@nestjs/common';
import { Transport } from '@nestjs/microservices';
import { Observable, throwError } from 'rxjs';
import { CallerSignatureError, CallerVerifier, CALLER_HEADER, CALLER_SIGNATURE_HEADER, ForbiddenError, UnauthenticatedError, decide, describeCaller, policyOf, runAsCaller } from '@pace/auth';
import { SpanKind, runWithLogContext, spanLogContext, startTraceSpan } from '@pace/logging';
import { type GrpcContract, protoLoaderOptions, protoRoot } from './proto';
import { toRpcError } from './errors';

function first(metadata: Metadata | undefined, key: string): string | undefined {
  const value = metadata?.get(key)[0];
  return value === undefined ? undefined : value.toString();
}

/**
 * The edge of every gRPC handler in a domain service: verifies the gateway's signed caller
 * context (refusing the call without one), checks the handler's policy against it, and runs the
 * handler with that caller (for repositories' visibility) and the request's log context.
 */
export class CallerContextInterceptor implements NestInterceptor {
  private readonly logger = new Logger('grpc');

  private readonly verifier: CallerVerifier;

  constructor(private readonly options: { service: string; secret: string }) {
    this.verifier = new CallerVerifier({ secret: options.secret, audience: options.service });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const metadata = context.getArgByIndex<Metadata | undefined>(1);
    let caller;
    try {
      caller = this.verifier.verify({ value: first(metadata, CALLER_HEADER), signature: first(metadata, CALLER_SIGNATURE_HEADER) });
    } catch (error) {
      const reason = error instanceof CallerSignatureError ? error.reason : 'malformed';
      this.logger.warn(`${context.getHandler().name}: caller context rejected (${reason})`);
      return throwError(() => new UnauthenticatedError(`caller-context-${reason}`, `The caller context was rejected (${reason}).`));
    }
    const decision = decide(policyOf(context.getHandler(), context.getClass()), caller);
    if (decision !== 'allow') {
      return throwError(() => new ForbiddenError('forbidden', `${describeCaller(caller)} may not call ${context.getHandler().name}.`));
    }
    const method = context.getHandler().name;
    return new Observable((subscriber) => {
      const span = startTraceSpan(`${context.getClass().name}/${method}`, SpanKind.SERVER, first(metadata, 'traceparent'), { 'rpc.system': 'grpc', 'rpc.method': method, 'pace.service': this.options.service });
      const log = spanLogContext(span, { service: this.options.service, requestId: first(metadata, 'x-request-id') });
      return runWithLogContext(log, () =>
        runAsCaller(caller, () =>
          next.handle().subscribe({
            next: (value) => subscriber.next(value),
            error: (error: unknown) => {
              span.end(error);
              subscriber.error(error);
            },
            complete: () => {
              span.end();
              subscriber.complete();
            },
          }),
        ),
      );
    });
  }
}

/** Every error leaves a gRPC handler as a status with the domain's code (see errors.ts). */
@Catch()
export class GrpcErrorFilter implements RpcExceptionFilter {
  private readonly logger = new Logger('grpc');

  catch(error: unknown, host: ArgumentsHost): Observable<never> {
    const rpcError = toRpcError(error);
    if (rpcError.details === 'internal error') {
      this.logger.error({ err: error }, `gRPC handler failed: ${host.getType()}`);
    }
    return throwError(() => rpcError);
  }
}

export interface GrpcServerOptions {
  contract: GrpcContract;
  /** The service's own name: the audience its callers sign for. */
  service: string;
  host: string;
  port: number;
  /** Shared with the gateway (CALLER_SIGNING_SECRET). */
  secret: string;
}

/**
 * Serves the contract over gRPC beside the app's HTTP server (health stays on HTTP) and starts
 * listening; `app.close()` shuts it down gracefully (in-flight calls finish).
 */
export async function connectGrpcServer(app: INestApplication, options: GrpcServerOptions): Promise<void> {
  const root = protoRoot();
  const microservice = app.connectMicroservice(
    {
      transport: Transport.GRPC,
      options: {
        package: options.contract.package,
        protoPath: path.join(root, options.contract.file),
        url: `${options.host}:${options.port}`,
        loader: { ...protoLoaderOptions, includeDirs: [root] },
        gracefulShutdown: true,
      },
    },
    // Deferred, so the global interceptor and filter below are in place before handlers are bound.
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalInterceptors(new CallerContextInterceptor({ service: options.service, secret: options.secret }));
  microservice.useGlobalFilters(new GrpcErrorFilter());
  // The app runs the modules' lifecycle hooks itself; the microservice must not run them again.
  (microservice as unknown as { setIsInitHookCalled(called: boolean): void }).setIsInitHookCalled(true);
  await microservice.listen();
}
