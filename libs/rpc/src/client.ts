import path from 'node:path';
import { type Client, type ClientOptions, type GrpcObject, Metadata, type ServiceClientConstructor, type ServiceError, credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
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

type UnaryMethod = (request: unknown, metadata: Metadata, options: { deadline: number }, callback: (error: ServiceError | null, response?: unknown) => void) => unknown;

/**
 * Channel options. Channelz (grpc-js's introspection registry, which counts every call and keeps
 * a trace per channel and subchannel) has nothing reading it in our processes.
 */
const CHANNEL_OPTIONS: ClientOptions = { 'grpc.enable_channelz': 0 };

/** The service's client constructor from its .proto, loaded as the server loads it. */
function serviceConstructor(contract: GrpcContract): ServiceClientConstructor {
  const root = protoRoot();
  const definition = loadSync(path.join(root, contract.file), { ...protoLoaderOptions, includeDirs: [root] });
  let node: unknown = loadPackageDefinition(definition);
  for (const part of [...contract.package.split('.'), contract.service]) node = (node as GrpcObject)[part];
  if (typeof node !== 'function') throw new Error(`${contract.package}.${contract.service} not found in ${contract.file}`);
  return node as ServiceClientConstructor;
}

/**
 * A typed client of one domain service over gRPC (@grpc/grpc-js, one channel). Each call carries
 * the caller (signed), the request id and the trace context, and a deadline; failures come back
 * as the errors the HTTP edge maps to problem+json.
 */
export class GrpcServiceClient<T extends { [K in keyof T]: (request: never) => unknown }> {
  private readonly client: Client;
  private readonly signer: CallerSigner;

  constructor(private readonly options: GrpcClientOptions) {
    const Service = serviceConstructor(options.contract);
    this.client = new Service(options.url, credentials.createInsecure(), CHANNEL_OPTIONS);
    this.signer = new CallerSigner({ secret: options.secret, audience: options.service });
  }

  call<K extends keyof T & string>(method: K, request: Parameters<T[K]>[0], caller: Caller): Promise<ReturnType<T[K]>> {
    const metadata = new Metadata();
    const signed = this.signer.sign(caller);
    metadata.set(CALLER_HEADER, signed.value);
    metadata.set(CALLER_SIGNATURE_HEADER, signed.signature);
    const log = currentLogContext();
    if (log?.requestId) metadata.set('x-request-id', log.requestId);
    const span = startTraceSpan(`${this.options.contract.service}/${method}`, SpanKind.CLIENT, log?.traceparent, { 'rpc.system': 'grpc', 'rpc.service': this.options.contract.service, 'rpc.method': method });
    metadata.set('traceparent', span.traceparent);
    const unary = (this.client as unknown as Record<string, UnaryMethod>)[method];
    return new Promise((resolve, reject) => {
      unary.call(this.client, request, metadata, { deadline: Date.now() + this.options.deadlineMs }, (error, response) => {
        if (error) {
          const mapped = fromRpcError(error, this.options.service);
          span.end(mapped);
          reject(mapped);
        } else {
          span.end();
          resolve(response as ReturnType<T[K]>);
        }
      });
    });
  }

  close(): void {
    this.client.close();
  }
}
