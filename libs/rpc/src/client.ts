import path from 'node:path';
import { Metadata } from '@grpc/grpc-js';
import { ClientGrpcProxy } from '@nestjs/microservices';
import { type Observable, lastValueFrom } from 'rxjs';
import { type Caller, CALLER_HEADER, CALLER_SIGNATURE_HEADER, CallerSigner } from '@pace/auth';
import { SpanKind, currentLogContext, startTraceSpan } from '@pace/logging';
import { fromRpcError } from './errors';
import { type GrpcContract, protoLoaderOptions, protoRoot } from './proto';

export interface GrpcClientOptions {
  contract: GrpcContract;
  /** The domain service's name (the audience of the signed caller context). */
  service: string;
  /** host:port of its gRPC server. */
  url: string;
  secret: string;
  /** Deadline of each call; the HTTP request fails with 504 when it passes. */
  deadlineMs: number;
}

type RawService = Record<string, (request: unknown, metadata: Metadata, options: { deadline: number }) => Observable<unknown>>;

/**
 * A typed client of one domain service over the NestJS gRPC transport. Each call carries the
 * caller (signed), the request id and the trace context, and a deadline; failures come back as
 * the errors the HTTP edge maps to problem+json.
 */
export class GrpcServiceClient<T extends { [K in keyof T]: (request: never) => unknown }> {
  private readonly proxy: ClientGrpcProxy;
  private readonly raw: RawService;
  private readonly signer: CallerSigner;

  constructor(private readonly options: GrpcClientOptions) {
    const root = protoRoot();
    this.proxy = new ClientGrpcProxy({
      package: options.contract.package,
      protoPath: path.join(root, options.contract.file),
      url: options.url,
      loader: { ...protoLoaderOptions, includeDirs: [root] },
    });
    this.raw = this.proxy.getService<RawService>(options.contract.service);
    this.signer = new CallerSigner({ secret: options.secret, audience: options.service });
  }

  async call<K extends keyof T & string>(method: K, request: Parameters<T[K]>[0], caller: Caller): Promise<ReturnType<T[K]>> {
    const metadata = new Metadata();
    const signed = this.signer.sign(caller);
    metadata.set(CALLER_HEADER, signed.value);
    metadata.set(CALLER_SIGNATURE_HEADER, signed.signature);
    const log = currentLogContext();
    if (log?.requestId) metadata.set('x-request-id', log.requestId);
    const span = startTraceSpan(`${this.options.contract.service}/${method}`, SpanKind.CLIENT, log?.traceparent, { 'rpc.system': 'grpc', 'rpc.service': this.options.contract.service, 'rpc.method': method });
    metadata.set('traceparent', span.traceparent);
    try {
      const result = (await lastValueFrom(this.raw[method](request, metadata, { deadline: Date.now() + this.options.deadlineMs }))) as ReturnType<T[K]>;
      span.end();
      return result;
    } catch (error) {
      const mapped = fromRpcError(error, this.options.service);
      span.end(mapped);
      throw mapped;
    }
  }

  close(): void {
    this.proxy.close();
  }
}
