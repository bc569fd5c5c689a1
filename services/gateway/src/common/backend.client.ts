import type { Readable } from 'node:stream';
import { BadGatewayException, GatewayTimeoutException, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import { CALLER_HEADER, CALLER_SIGNATURE_HEADER, type Caller, signCaller } from '@pace/auth';
import { RelayedProblem } from '@pace/http';
import { SpanKind, currentLogContext, startTraceSpan } from '@pace/logging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

export interface BackendRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path on the backing service, e.g. `/listings/…`, with its query string. */
  path: string;
  /** A JSON body, or raw bytes (media uploads) with their content type. */
  json?: unknown;
  raw?: { stream: Readable; contentType: string; length?: string };
  ifMatch?: string;
}

/** The request's own query string, passed on as the client wrote it (validated at the edge first). */
export const queryOf = (req: ExpressRequest) => (req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '');

/** Headers of the backing service's answer that the client should see. */
const PASSED_BACK = ['etag', 'content-type', 'content-length', 'cache-control', 'last-modified'];

/**
 * A domain service's internal HTTP API (listings, syndication): each call carries the caller's
 * context signed for the service's audience (the service verifies it and applies visibility
 * itself), the request id, a trace span, and a deadline. A problem the service answers is relayed
 * unchanged; an unreachable or silent service becomes 502/504.
 */
export class BackendClient {
  private readonly logger: Logger;

  constructor(
    /** The service's name: its caller-context audience, and how logs and errors name it. */
    private readonly service: string,
    private readonly baseUrl: string,
    private readonly config: GatewayConfig,
  ) {
    this.logger = new Logger(`${service}-client`);
  }

  async send(caller: Caller, request: BackendRequest): Promise<Response> {
    const signed = signCaller(caller, { secret: this.config.CALLER_SIGNING_SECRET, audience: this.service });
    const log = currentLogContext();
    const span = startTraceSpan(`${this.service} ${request.method}`, SpanKind.CLIENT, log?.traceparent, { 'http.request.method': request.method, 'server.address': this.service });
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
      res = await fetch(new URL(request.path, this.baseUrl), {
        method: request.method,
        headers,
        body: body as RequestInit['body'],
        signal: AbortSignal.timeout(this.config.GRPC_DEADLINE_MS),
        ...(request.raw ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (error) {
      span.end(error);
      if ((error as Error).name === 'TimeoutError') throw new GatewayTimeoutException(`The ${this.service} service did not answer in time; try again shortly.`);
      this.logger.warn(`${this.service} service unreachable: ${(error as Error).message}`);
      throw new BadGatewayException(`The ${this.service} service is not reachable; try again shortly.`);
    }
    span.setAttributes({ 'http.response.status_code': res.status });
    if (res.status >= 400) {
      const text = await res.text();
      span.end(res.status >= 500 ? new Error(`HTTP ${res.status}`) : undefined);
      let problem: Record<string, unknown>;
      try {
        problem = JSON.parse(text) as Record<string, unknown>;
      } catch {
        problem = { detail: `The ${this.service} service failed.` };
      }
      if (res.status >= 500) {
        this.logger.error(`${this.service} service answered ${res.status}: ${String(problem.detail ?? '')}`);
        throw new BadGatewayException(`The ${this.service} service failed; try again shortly.`);
      }
      throw new RelayedProblem(res.status, problem);
    }
    span.end();
    return res;
  }

  /** A JSON answer, with the headers worth passing back (ETag for If-Match). */
  async json<T>(caller: Caller, request: BackendRequest): Promise<{ body: T; headers: Record<string, string> }> {
    const res = await this.send(caller, request);
    const headers: Record<string, string> = {};
    const etag = res.headers.get('etag');
    if (etag) headers.etag = etag;
    return { body: (res.status === 204 ? undefined : await res.json()) as T, headers };
  }

  /** Relays a JSON answer to the client: its body, and its ETag for If-Match. */
  async relay(res: ExpressResponse, caller: Caller, request: BackendRequest): Promise<unknown> {
    const { body, headers } = await this.json(caller, request);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    return body;
  }

  static passedBack(res: Response): [string, string][] {
    return PASSED_BACK.flatMap((name) => {
      const value = res.headers.get(name);
      return value ? [[name, value] as [string, string]] : [];
    });
  }
}

/** The listings service (`LISTINGS_URL`, audience `listings`). */
@Injectable()
export class ListingsClient extends BackendClient {
  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    super('listings', config.LISTINGS_URL, config);
  }
}

/** The syndication service (`SYNDICATION_URL`, audience `syndication`): portal status, validation, settings. */
@Injectable()
export class SyndicationClient extends BackendClient {
  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    super('syndication', config.SYNDICATION_URL, config);
  }
}
