import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { BadGatewayException, GatewayTimeoutException, HttpException, ServiceUnavailableException } from '@nestjs/common';
import { DomainError, type DomainErrorKind, type FieldProblem, ValidationError } from '@pace/http';
import { InvalidCursorError } from '@pace/database';

/**
 * Domain errors cross the gRPC hop as a status code plus trailing metadata carrying the stable
 * `code` and, for validation, the field problems; the gateway turns them back into the same
 * problem+json the domain would have produced over HTTP.
 */
export const ERROR_CODE_KEY = 'x-pace-error-code';
export const ERROR_FIELDS_KEY = 'x-pace-error-fields';
export const ERROR_DETAILS_KEY = 'x-pace-error-details';

const STATUS_OF_KIND: Record<DomainErrorKind, status> = {
  invalid: status.INVALID_ARGUMENT,
  unauthorized: status.UNAUTHENTICATED,
  forbidden: status.PERMISSION_DENIED,
  'not-found': status.NOT_FOUND,
  conflict: status.ABORTED,
  gone: status.FAILED_PRECONDITION,
  unavailable: status.UNAVAILABLE,
};

const KIND_OF_STATUS = new Map<status, DomainErrorKind>(Object.entries(STATUS_OF_KIND).map(([kind, code]) => [code, kind as DomainErrorKind]));

export interface RpcErrorObject {
  code: status;
  details: string;
  metadata: Metadata;
}

/** Server side: what a thrown error becomes on the wire. Unknown errors say nothing about internals. */
export function toRpcError(error: unknown): RpcErrorObject {
  const metadata = new Metadata();
  if (error instanceof DomainError) {
    metadata.set(ERROR_CODE_KEY, error.code);
    if (error instanceof ValidationError) metadata.set(ERROR_FIELDS_KEY, JSON.stringify(error.errors));
    if (error.details) metadata.set(ERROR_DETAILS_KEY, JSON.stringify(error.details));
    return { code: STATUS_OF_KIND[error.kind], details: error.message, metadata };
  }
  if (error instanceof InvalidCursorError) {
    metadata.set(ERROR_CODE_KEY, 'invalid-cursor');
    return { code: status.INVALID_ARGUMENT, details: error.message, metadata };
  }
  return { code: status.INTERNAL, details: 'internal error', metadata };
}

/** A domain error that came back over gRPC, kept with its kind, code and message. */
export class RemoteDomainError extends DomainError {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    override readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

function isServiceError(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && 'code' in error && typeof (error as { code: unknown }).code === 'number';
}

/** Client side: a failed call as the error the HTTP edge should answer with. */
export function fromRpcError(error: unknown, service: string): Error {
  if (!isServiceError(error)) return error instanceof Error ? error : new Error(String(error));
  const code = error.metadata?.get(ERROR_CODE_KEY)[0]?.toString();
  const kind = KIND_OF_STATUS.get(error.code);
  if (error.code === status.UNAUTHENTICATED) {
    // The service refused the gateway's signed caller context: a deployment fault, not the client's.
    return new HttpException(`The ${service} service did not accept the gateway's caller context (${code ?? 'unauthenticated'}).`, 502);
  }
  if (code && kind) {
    if (kind === 'invalid' && code === 'validation-failed') {
      const fields = error.metadata.get(ERROR_FIELDS_KEY)[0]?.toString();
      return new ValidationError(fields ? (JSON.parse(fields) as FieldProblem[]) : [], error.details);
    }
    const details = error.metadata.get(ERROR_DETAILS_KEY)[0]?.toString();
    return new RemoteDomainError(kind, code, error.details, details ? (JSON.parse(details) as Record<string, unknown>) : undefined);
  }
  switch (error.code) {
    case status.DEADLINE_EXCEEDED:
      return new GatewayTimeoutException(`The ${service} service did not answer in time; try again shortly.`);
    case status.UNAVAILABLE:
      return new BadGatewayException(`The ${service} service is not reachable; try again shortly.`);
    case status.RESOURCE_EXHAUSTED:
      return new ServiceUnavailableException(`The ${service} service is overloaded; try again shortly.`);
    default:
      return new HttpException(`The ${service} service failed (${status[error.code] ?? error.code}).`, 502);
  }
}
