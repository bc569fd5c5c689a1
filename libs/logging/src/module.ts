import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { v7 as uuidv7 } from 'uuid';
import { type LogContext, parseTraceparent, runWithLogContext } from './context';
import { type LoggingOptions, pinoOptions } from './logger';

/** Express rewrites `url` under mounts and proxies; `originalUrl` is what the client asked for. */
const urlOf = (req: IncomingMessage & { originalUrl?: string }) => req.originalUrl ?? req.url;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Express middleware: gives each request an id (kept from `x-request-id` when sane) and a trace
 * (from `traceparent`, or a new one), and runs the rest of the request inside that log context.
 */
export function requestContext(service: string) {
  return (req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void): void => {
    const header = req.headers['x-request-id'];
  const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : uuidv7();
  const incoming = req.headers.traceparent;
  const parent = parseTraceparent(typeof incoming === 'string' ? incoming : undefined);
  const traceId = parent?.traceId ?? uuidv7().replace(/-/g, '');
  const spanId = uuidv7().replace(/-/g, '').slice(-16);
  const context: LogContext = { service, requestId, traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
  req.id = requestId;
  res.setHeader('x-request-id', requestId);
  runWithLogContext(context, next);
  };
}

export function loggingModule(options: LoggingOptions) {
  return LoggerModule.forRoot({
    pinoHttp: {
      ...pinoOptions(options),
      genReqId: (req) => (req as IncomingMessage & { id?: string }).id ?? uuidv7(),
      autoLogging: { ignore: (req) => Boolean(req.url?.startsWith('/health')) },
      customSuccessMessage: (req, res, time) => `${req.method} ${urlOf(req)} ${res.statusCode} ${Math.round(time)}ms`,
      customErrorMessage: (req, res, error) => `${req.method} ${urlOf(req)} ${res.statusCode} ${error.message}`,
      serializers: {
        req: (req: { method?: string; url?: string; originalUrl?: string }) => ({ method: req.method, url: req.originalUrl ?? req.url }),
        res: (res: { statusCode?: number | null; raw?: { statusCode?: number } }) => ({ statusCode: res.raw?.statusCode ?? res.statusCode }),
      },
    },
  });
}
