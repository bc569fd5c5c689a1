import { SpanKind, startTraceSpan } from './trace';

describe('trace spans without a registered tracer provider', () => {
  it('continue the caller’s trace with a new span id, keeping its sampling decision', () => {
    const span = startTraceSpan('GET /x', SpanKind.SERVER, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00');
    expect(span.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.spanId).not.toBe('00f067aa0ba902b7');
    expect(span.traceparent).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${span.spanId}-00`);
    span.end();
  });

  it('start a new sampled trace when there is no caller or its traceparent is malformed', () => {
    const a = startTraceSpan('GET /x', SpanKind.SERVER, undefined);
    const b = startTraceSpan('GET /x', SpanKind.SERVER, 'not-a-traceparent');
    expect(a.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(b.traceId).not.toBe(a.traceId);
    expect(a.traceparent.endsWith('-01')).toBe(true);
  });
});
