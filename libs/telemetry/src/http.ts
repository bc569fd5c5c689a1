import type { IncomingMessage, ServerResponse } from 'node:http';
import { metrics } from './registry';

/** Request-duration buckets in seconds: 5 ms … 10 s, dense where API latency lives. */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpDuration = () =>
  metrics.histogram('http_request_duration_seconds', 'Duration of HTTP requests served, by route pattern', ['service', 'method', 'route', 'status'], HTTP_BUCKETS);

/** Paths that are scraped or probed every few seconds; timing them only adds noise. */
const UNTIMED = /^\/(metrics|health)(\/|$|\?)/;

const ID_SEGMENT = /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{24,}|[A-Za-z0-9_-]{32,})$/i;

/**
 * The `route` label. A matched Nest/Express route gives its pattern (`/applicants/:id`). Paths
 * served by middleware (the gateway's proxy) have no pattern: their id-like segments become `:id`
 * and only the first four segments are kept. Unknown paths (404) are one value, `unmatched`, so a
 * scanner cannot grow the number of series.
 */
export function routeLabel(req: { baseUrl?: string; route?: { path?: unknown }; originalUrl?: string; url?: string }, status: number): string {
  const pattern = req.route?.path;
  // Catch-all patterns (`/{*path}`, `api/v1/applicants{/*rest}`) belong to middleware mounts, not routes.
  if (typeof pattern === 'string' && !pattern.includes('*')) return `${req.baseUrl ?? ''}${pattern}` || '/';
  if (status === 404) return 'unmatched';
  const path = (req.originalUrl ?? req.url ?? '/').split('?')[0];
  const segments = path
    .split('/')
    .filter(Boolean)
    .slice(0, 4)
    .map((segment) => (ID_SEGMENT.test(segment) ? ':id' : segment));
  return `/${segments.join('/')}`;
}

type Req = IncomingMessage & { baseUrl?: string; route?: { path?: unknown }; originalUrl?: string };

/** Express-style middleware observing every request's duration when its response finishes. */
export function httpMetricsMiddleware(service: string) {
  const histogram = httpDuration();
  return (req: Req, res: ServerResponse, next: () => void): void => {
    const url = req.originalUrl ?? req.url ?? '/';
    if (UNTIMED.test(url)) return next();
    const end = histogram.startTimer();
    res.once('finish', () => {
      end({ service, method: req.method ?? 'GET', route: routeLabel(req, res.statusCode), status: String(res.statusCode) });
    });
    next();
  };
}
