import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { type DynamicModule, Logger, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { createProxyMiddleware, fixRequestBody } from 'http-proxy-middleware';
import { currentLogContext } from '@pace/logging';

export interface ProxyRoute {
  /** Public path under the gateway, e.g. `/api/v1/applicants`. */
  from: string;
  /** Base URL of the domain service. */
  to: string;
  /** Path on the domain service that replaces `from`. */
  rewriteTo: string;
}

/**
 * Forwards public routes to domain services over HTTP, with the request id and trace context.
 * Temporary: the gateway → domain hop becomes gRPC with the identity issue.
 */
@Module({})
export class ProxyModule implements NestModule {
  private static routes: ProxyRoute[] = [];
  private readonly logger = new Logger('proxy');

  static register(routes: ProxyRoute[]): DynamicModule {
    ProxyModule.routes = routes;
    return { module: ProxyModule };
  }

  configure(consumer: MiddlewareConsumer): void {
    for (const route of ProxyModule.routes) {
      const proxy = createProxyMiddleware<IncomingMessage, ServerResponse>({
        target: route.to,
        changeOrigin: true,
        proxyTimeout: 10_000,
        pathRewrite: (path) => path.replace(route.from, route.rewriteTo),
        on: {
          proxyReq: (proxyReq: ClientRequest, req: IncomingMessage) => {
            const context = currentLogContext();
            if (context?.requestId) proxyReq.setHeader('x-request-id', context.requestId);
            if (context?.traceparent) proxyReq.setHeader('traceparent', context.traceparent);
            // Nest has already parsed the JSON body; write it to the upstream request again (last: it sends the headers).
            fixRequestBody(proxyReq, req);
          },
          error: (error, _req, res) => {
            this.logger.error({ err: error }, `upstream ${route.to} failed`);
            const response = res as ServerResponse;
            if (response.headersSent) return;
            response.writeHead(502, { 'content-type': 'application/problem+json' });
            response.end(
              JSON.stringify({ type: 'about:blank', title: 'Bad gateway', status: 502, detail: 'A backing service did not answer; try again shortly.' }),
            );
          },
        },
      });
      consumer.apply(proxy).forRoutes({ path: `${route.from.replace(/^\//, '')}{/*rest}`, method: RequestMethod.ALL });
    }
  }
}
