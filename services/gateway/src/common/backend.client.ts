import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { BadGatewayException, GatewayTimeoutException, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import { CALLER_HEADER, CALLER_SIGNATURE_HEADER, type Caller, CallerSigner } from '@pace/auth';
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
  private readonly base: URL;
  /** Connections kept open between calls (the read relay below; fetch keeps its own pool). */
  private readonly agent: http.Agent;
  private readonly signer: CallerSigner;

  constructor(
    /** The service's name: its caller-context audience, and how logs and errors name it. */
    private readonly service: string,
    private readonly baseUrl: string,
    private readonly config: GatewayConfig,
  ) {
    this.logger = new Logger(`${service}-client`);
    this.base = new URL(baseUrl);
    this.signer = new CallerSigner({ secret: config.CALLER_SIGNING_SECRET, audience: service });
    const options = { keepAlive: true, maxSockets: 128, maxFreeSockets: 64 };
    this.agent = this.base.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
  }

  onModuleDestroy(): void {
    this.agent.destroy();
  }

  private start(caller: Caller, request: BackendRequest) {
    const signed = this.signer.sign(caller);
    const log = currentLogContext();
    const span = startTraceSpan(`${this.service} ${request.method}`, SpanKind.CLIENT, log?.traceparent, { 'http.request.method': request.method, 'server.address': this.service });
    const headers: Record<string, string> = { [CALLER_HEADER]: signed.value, [CALLER_SIGNATURE_HEADER]: signed.signature, traceparent: span.traceparent };
    if (log?.requestId) headers['x-request-id'] = log.requestId;
    if (request.ifMatch) headers['if-match'] = request.ifMatch;
    return { span, headers };
  }

  private unreachable(span: ReturnType<typeof startTraceSpan>, error: unknown): Error {
    span.end(error);
    if ((error as Error).name === 'TimeoutError') return new GatewayTimeoutException(`The ${this.service} service did not answer in time; try again shortly.`);
    this.logger.warn(`${this.service} service unreachable: ${(error as Error).message}`);
    return new BadGatewayException(`The ${this.service} service is not reachable; try again shortly.`);
  }

  /** A problem the service answered (status ≥ 400): relayed as it is (4xx), or 502 (5xx). */
  private failed(span: ReturnType<typeof startTraceSpan>, status: number, text: string): Error {
    span.end(status >= 500 ? new Error(`HTTP ${status}`) : undefined);
    let problem: Record<string, unknown>;
    try {
      problem = JSON.parse(text) as Record<string, unknown>;
    } catch {
      problem = { detail: `The ${this.service} service failed.` };
    }
    if (status >= 500) {
      this.logger.error(`${this.service} service answered ${status}: ${String(problem.detail ?? '')}`);
      return new BadGatewayException(`The ${this.service} service failed; try again shortly.`);
    }
    return new RelayedProblem(status, problem);
  }

  /**
   * A bodiless call (GET) over node:http on kept-alive connections, its answer read whole: the
   * read relay's transport, cheaper per call than fetch's streams and header objects.
   */
  private exchange(method: string, path: string, headers: Record<string, string>, retried = false): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    const url = new URL(path, this.base);
    return new Promise((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 502, headers: res.headers, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) });
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      const timer = setTimeout(() => {
        const error = new Error(`no answer within ${this.config.GRPC_DEADLINE_MS} ms`);
        error.name = 'TimeoutError';
        req.destroy(error);
      }, this.config.GRPC_DEADLINE_MS);
      req.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // The service closed a kept-alive connection as this request went out on it: a read is
        // safe to send once more, on a fresh connection.
        if (!retried && req.reusedSocket && error.code === 'ECONNRESET') resolve(this.exchange(method, path, headers, true));
        else reject(error);
      });
      req.end();
    });
  }

  /**
   * Relays a read's JSON answer to the client as the service wrote it: status, bytes, content
   * type and ETag, without parsing and re-serialising it (the gateway changes nothing in it).
   * Express still answers a matching If-None-Match with 304. For `@Res()` handlers.
   */
  async relayRead(res: ExpressResponse, caller: Caller, path: string): Promise<void> {
    const { span, headers } = this.start(caller, { method: 'GET', path });
    let answer: Awaited<ReturnType<BackendClient['exchange']>>;
    try {
      answer = await this.exchange('GET', path, headers);
    } catch (error) {
      throw this.unreachable(span, error);
    }
    span.setAttributes({ 'http.response.status_code': answer.status });
    if (answer.status >= 400) throw this.failed(span, answer.status, answer.body.toString('utf8'));
    span.end();
    if (answer.headers.etag) res.setHeader('etag', answer.headers.etag);
    res.status(answer.status);
    if (answer.status === 204) {
      res.end();
      return;
    }
    res.type(answer.headers['content-type'] ?? 'application/json').send(answer.body);
  }

  async send(caller: Caller, request: BackendRequest): Promise<Response> {
    const { span, headers } = this.start(caller, request);
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
      throw this.unreachable(span, error);
    }
    span.setAttributes({ 'http.response.status_code': res.status });
    if (res.status >= 400) throw this.failed(span, res.status, await res.text());
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
