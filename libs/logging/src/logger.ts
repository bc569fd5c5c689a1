import type { LoggerOptions } from 'pino';
import { currentLogContext } from './context';
import { redactText, redactValue } from './redact';

export interface LoggingOptions {
  service: string;
  level: string;
  /** Human-readable output; defaults to "stdout is a terminal". */
  pretty?: boolean;
  /** Google Cloud project, to link log lines to Cloud Trace. */
  gcpProject?: string;
}

// Cloud Logging reads `severity`; pino's numeric levels map onto its names.
const SEVERITY: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

export function pinoOptions(options: LoggingOptions): LoggerOptions {
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  return {
    level: options.level,
    messageKey: 'message',
    base: { service: options.service },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: {
      level: (label) => ({ severity: SEVERITY[label] ?? 'DEFAULT', level: label }),
      log: (object) => redactValue(object) as Record<string, unknown>,
    },
    mixin: () => {
      const context = currentLogContext();
      if (!context) return {};
      const fields: Record<string, unknown> = { requestId: context.requestId, traceId: context.traceId };
      if (context.service) fields.service = context.service;
      if (options.gcpProject && context.traceId) {
        fields['logging.googleapis.com/trace'] = `projects/${options.gcpProject}/traces/${context.traceId}`;
        fields['logging.googleapis.com/spanId'] = context.spanId;
      }
      return fields;
    },
    hooks: {
      logMethod(args, method) {
        const redacted = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
        return method.apply(this, redacted as Parameters<typeof method>);
      },
    },
    transport: pretty
      ? { target: 'pino-pretty', options: { messageKey: 'message', ignore: 'pid,hostname,severity', translateTime: 'SYS:HH:MM:ss.l' } }
      : undefined,
  };
}
