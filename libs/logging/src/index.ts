export * from './context';
export * from './logger';
export * from './module';
export * from './trace';
export { redactText, redactValue, REDACTED } from './redact';
export { Logger as PaceLogger, PinoLogger, InjectPinoLogger } from 'nestjs-pino';
