import { TraceExporter } from '@google-cloud/opentelemetry-cloud-trace-exporter';
import { trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';

export interface TracingOptions {
  /** Resource `service.name`: the service, or the process name when several share one process. */
  serviceName: string;
  /** `none` records nothing (ids are still made for logs); `cloud-trace` exports to Google Cloud Trace. */
  exporter: 'none' | 'cloud-trace';
  /** Share of new traces recorded (a parent's decision is followed). */
  sampleRatio: number;
  projectId?: string;
  /** Tests: an exporter of their own, spans handed over as each ends. */
  testExporter?: SpanExporter;
}

let provider: NodeTracerProvider | undefined;

/**
 * Registers the process's tracer provider once (the first service of a process decides; in
 * embedded mode they share one). Spans are made by `@pace/logging`'s startTraceSpan at the
 * edges: HTTP requests, gRPC client and server calls, event handling, with parents carried as
 * W3C traceparent in headers, gRPC metadata and event envelopes/attributes.
 */
export function startTracing(options: TracingOptions): void {
  if (provider) return;
  const processors: SpanProcessor[] = [];
  if (options.exporter === 'cloud-trace') processors.push(new BatchSpanProcessor(new TraceExporter(options.projectId ? { projectId: options.projectId } : {})));
  if (options.testExporter) processors.push(new SimpleSpanProcessor(options.testExporter));
  if (!processors.length) return;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio) }),
    spanProcessors: processors,
  });
  trace.setGlobalTracerProvider(provider);
}

/** Flushes and stops the provider (at shutdown, so the last spans are exported). */
export async function stopTracing(): Promise<void> {
  const current = provider;
  provider = undefined;
  if (!current) return;
  await current.shutdown();
  trace.disable();
}
