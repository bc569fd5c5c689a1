import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { v7 as uuidv7 } from 'uuid';
import { runWithLogContext } from './context';
import { redactUrl } from './redact';
import { SpanKind, spanLogContext, startTraceSpan } from './trace';
import { type LoggingOptions, pinoOptions } from './logger';

/** Express rewrites `url` under mounts and proxies; `originalUrl` is what the client asked for. */
const urlOf = (req: { url?: string; originalUrl?: string }) => req.originalUrl ?? req.url ?? '/';
/** The URL as it may appear in a log line (query strings carry emails and phones: `?q=…`). */
const loggedUrlOf = (req: { url?: string; originalUrl?: string }) => redactUrl(urlOf(req));

const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** Probes and scrapes arrive every few seconds; their spans would only be noise. */
const UNTRACED = /^\/(health|metrics)(\/|$|\?)/;

/**
 * Express middleware: gives each request an id (kept from `x-request-id` when sane) and a trace
 * (from `traceparent`, or a new one), and runs the rest of the request inside that log context.
 */
export function requestContext(service: string) {
  return (req: IncomingMessage & { id?: string; route?: { path?: unknown }; baseUrl?: string }, res: ServerResponse, next: () => void): void => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : uuidv7();
    const incoming = req.headers.traceparent;
    const span = startTraceSpan(`${req.method ?? 'GET'}`, SpanKind.SERVER, typeof incoming === 'string' ? incoming : undefined, {
      'http.request.method': req.method ?? 'GET',
      'url.path': urlOf(req).split('?')[0],
      'pace.service': service,
    }, !UNTRACED.test(urlOf(req)));
    res.once('finish', () => {
      const route = typeof req.route?.path === 'string' ? `${req.baseUrl ?? ''}${req.route.path}` : undefined;
      if (route) span.updateName(`${req.method ?? 'GET'} ${route}`);
      span.setAttributes({ 'http.response.status_code': res.statusCode, ...(route ? { 'http.route': route } : {}) });
      span.end(res.statusCode >= 500 ? new Error(`HTTP ${res.statusCode}`) : undefined);
    });
    req.id = requestId;
    res.setHeader('x-request-id', requestId);
    runWithLogContext(spanLogContext(span, { service, requestId }), next);
  };
}

/** pino-http's options: one access line per request (not for probes), URLs redacted. */
export function httpLogOptions(options: LoggingOptions): Options {
  return {
    ...pinoOptions(options),
    genReqId: (req) => (req as IncomingMessage & { id?: string }).id ?? uuidv7(),
    autoLogging: { ignore: (req) => Boolean(req.url?.startsWith('/health')) },
    // Server errors at error, refusals at warn, the rest at info; a line the level drops is not
    // built at all ('silent': no message, no redaction, no serializers on every request).
    customLogLevel: (req, res, error) => {
      const level = error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      return (req as IncomingMessage & { log?: { isLevelEnabled(level: string): boolean } }).log?.isLevelEnabled(level) === false ? 'silent' : level;
    },
    customSuccessMessage: (req, res, time) => `${req.method} ${loggedUrlOf(req)} ${res.statusCode} ${Math.round(time)}ms`,
    customErrorMessage: (req, res, error) => `${req.method} ${loggedUrlOf(req)} ${res.statusCode} ${error.message}`,
    serializers: {
      req: (req: { method?: string; url?: string; originalUrl?: string }) => ({ method: req.method, url: loggedUrlOf(req) }),
      res: (res: { statusCode?: number | null; raw?: { statusCode?: number } }) => ({ statusCode: res.raw?.statusCode ?? res.statusCode }),
    },
  };
}

export function loggingModule(options: LoggingOptions) {
  return LoggerModule.forRoot({ pinoHttp: httpLogOptions(options) });
}
