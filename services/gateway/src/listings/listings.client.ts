import type { Readable } from 'node:stream';
import { BadGatewayException, GatewayTimeoutException, Inject, Injectable, Logger } from '@nestjs/common';
import { CALLER_HEADER, CALLER_SIGNATURE_HEADER, type Caller, signCaller } from '@pace/auth';
import { RelayedProblem } from '@pace/http';
import { SpanKind, currentLogContext, startTraceSpan } from '@pace/logging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

export interface ListingsRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path on the listings service, e.g. `/listings/…`, with its query string. */
  path: string;
  /** A JSON body, or raw bytes (media uploads) with their content type. */
  json?: unknown;
  raw?: { stream: Readable; contentType: string; length?: string };
  ifMatch?: string;
}

/** Headers of the listings service's answer that the client should see. */
const PASSED_BACK = ['etag', 'content-type', 'content-length', 'cache-control', 'last-modified'];

/**
 * The listings service over HTTP: each call carries the caller's context signed for audience
 * `listings` (the service verifies it and applies visibility itself), the request id, a trace
 * span, and a deadline. A problem the service answers is relayed unchanged; an unreachable or
 * silent service becomes 502/504.
 */
@Injectable()
export class ListingsClient {
  private readonly logger = new Logger('listings-client');

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  async send(caller: Caller, request: ListingsRequest): Promise<Response> {
    const signed = signCaller(caller, { secret: this.config.CALLER_SIGNING_SECRET, audience: 'listings' });
    const log = currentLogContext();
    const span = startTraceSpan(`listings ${request.method}`, SpanKind.CLIENT, log?.traceparent, { 'http.request.method': request.method, 'server.address': 'listings' });
    const headers: Record<string, string> = { [CALLER_HEADER]: signed.value, [CALLER_SIGNATURE_HEADER]: signed.signature, traceparent: span.traceparent };
    if (log?.requestId) headers['x-request-id'] = log.requestId;
    if (request.ifMatch) headers['if-match'] = request.ifMatch;
    let body: string | Readable | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.raw) {
      headers['content-type'] = request.raw.contentType;
      if (request.raw.length) headers['content-length'] = request.raw.length;
      body = request.raw.stream;
    }
    let res: Response;
    try {
      res = await fetch(new URL(request.path, this.config.LISTINGS_URL), {
        method: request.method,
        headers,
        body: body as RequestInit['body'],
        signal: AbortSignal.timeout(this.config.GRPC_DEADLINE_MS),
        ...(request.raw ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (error) {
      span.end(error);
      if ((error as Error).name === 'TimeoutError') throw new GatewayTimeoutException('The listings service did not answer in time; try again shortly.');
      this.logger.warn(`listings service unreachable: ${(error as Error).message}`);
      throw new BadGatewayException('The listings service is not reachable; try again shortly.');
    }
    span.setAttributes({ 'http.response.status_code': res.status });
    if (res.status >= 400) {
      const text = await res.text();
      span.end(res.status >= 500 ? new Error(`HTTP ${res.status}`) : undefined);
      let problem: Record<string, unknown>;
      try {
        problem = JSON.parse(text) as Record<string, unknown>;
      } catch {
        problem = { detail: 'The listings service failed.' };
      }
      if (res.status >= 500) {
        this.logger.error(`listings service answered ${res.status}: ${String(problem.detail ?? '')}`);
        throw new BadGatewayException('The listings service failed; try again shortly.');
      }
      throw new RelayedProblem(res.status, problem);
    }
    span.end();
    return res;
  }

  /** A JSON answer, with the headers worth passing back (ETag for If-Match). */
  async json<T>(caller: Caller, request: ListingsRequest): Promise<{ body: T; headers: Record<string, string> }> {
    const res = await this.send(caller, request);
    const headers: Record<string, string> = {};
    const etag = res.headers.get('etag');
    if (etag) headers.etag = etag;
    return { body: (res.status === 204 ? undefined : await res.json()) as T, headers };
  }

  static passedBack(res: Response): [string, string][] {
    return PASSED_BACK.flatMap((name) => {
      const value = res.headers.get(name);
      return value ? [[name, value] as [string, string]] : [];
    });
  }
}
