import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type Observable, throwError } from 'rxjs';
import { InvalidCursorError } from '@pace/database';
import { currentLogContext } from '@pace/logging';
import { DomainError, type DomainErrorKind, RelayedProblem, ValidationError } from './errors';

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  requestId?: string;
  errors?: { field: string; message: string }[];
  [extra: string]: unknown;
}

const STATUS_OF: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  gone: 410,
  unavailable: 503,
};

const PROBLEM_BASE = 'https://pace.allsop.ae/problems/';

function titleOf(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  return name ? name.toLowerCase().replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()) : 'Error';
}

export function toProblem(error: unknown): Problem {
  if (error instanceof RelayedProblem) {
    const { instance: _instance, requestId: _requestId, ...body } = error.body;
    return { type: 'about:blank', title: titleOf(error.status), ...body, status: error.status } as Problem;
  }
  if (error instanceof DomainError) {
    const status = STATUS_OF[error.kind];
    return {
      type: PROBLEM_BASE + error.code,
      title: titleOf(status),
      status,
      detail: error.message,
      code: error.code,
      ...(error instanceof ValidationError ? { errors: error.errors } : {}),
      ...error.details,
    };
  }
  if (error instanceof InvalidCursorError) {
    return { type: PROBLEM_BASE + 'invalid-cursor', title: 'Bad request', status: 400, detail: error.message, code: 'invalid-cursor' };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const detail = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
    return {
      type: status === 404 ? PROBLEM_BASE + 'route-not-found' : 'about:blank',
      title: titleOf(status),
      status,
      detail: Array.isArray(detail) ? detail.join('; ') : String(detail),
    };
  }
  return { type: 'about:blank', title: 'Internal server error', status: 500, detail: 'Something went wrong on our side; it has been logged.' };
}

/** Every error leaves the HTTP edge as `application/problem+json`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void | Observable<never> {
    // Event handlers share the app's filters: give their errors back to the events transport.
    if (host.getType() !== 'http') return throwError(() => error);
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const problem = toProblem(error);
    problem.instance = req.originalUrl;
    problem.requestId = currentLogContext()?.requestId;
    if (problem.status >= 500) {
      this.logger.error({ err: error }, `${req.method} ${req.originalUrl} failed`);
    }
    if (res.headersSent) return;
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
