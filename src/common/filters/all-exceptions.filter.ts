import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, Optional } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorPages } from '../../web/error-pages.js';
import { isWebPath } from '../../web/web-paths.js';
import { AppError, CommonErrorCode } from '../errors/app-error.js';

const CODE_BY_STATUS: Record<number, string> = {
  400: CommonErrorCode.VALIDATION_FAILED,
  401: CommonErrorCode.UNAUTHENTICATED,
  403: CommonErrorCode.FORBIDDEN,
  404: CommonErrorCode.NOT_FOUND,
  409: CommonErrorCode.CONFLICT,
  413: CommonErrorCode.PAYLOAD_TOO_LARGE,
  415: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: CommonErrorCode.RATE_LIMITED,
};

/** Fastify's own body errors, answered with body-parser's messages as on Express. */
const FASTIFY_BODY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'request entity too large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request size did not match content length',
};

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
  requestId: string;
}

/** Maps every error to `{ statusCode, code, message, details?, requestId }`; a 500 never leaks internals. */
export function toErrorBody(exception: unknown, requestId: string): ErrorBody {
  if (exception instanceof AppError) {
    return {
      statusCode: exception.status,
      code: exception.code,
      message: exception.message,
      ...(exception.details ? { details: exception.details } : {}),
      requestId,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const fastifyCode = (exception.cause as { code?: string } | undefined)?.code;
    const message = fastifyCode && FASTIFY_BODY_MESSAGES[fastifyCode]
      ? FASTIFY_BODY_MESSAGES[fastifyCode]
      : typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? ((response as { message: string[] }).message.join('; '))
          : String((response as { message?: unknown }).message ?? exception.message);
    return { statusCode: status, code: CODE_BY_STATUS[status] ?? `HTTP_${status}`, message, requestId };
  }
  // body-parser errors (malformed JSON, body too large) carry a status and `expose`
  const withStatus = exception as { status?: number; statusCode?: number; expose?: boolean; type?: string };
  const status = withStatus?.status ?? withStatus?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && withStatus.expose) {
    const message =
      withStatus.type === 'entity.parse.failed' ? 'The request body is not valid JSON' : String((exception as Error).message);
    return { statusCode: status, code: CODE_BY_STATUS[status] ?? `HTTP_${status}`, message, requestId };
  }
  return { statusCode: 500, code: CommonErrorCode.INTERNAL, message: 'Something went wrong on our side', requestId };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(@Optional() private readonly errorPages?: ErrorPages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const response = ctx.getResponse<FastifyReply>();
    const web = this.errorPages && !response.sent && !response.raw.headersSent && isWebPath(request.url) ? this.errorPages : undefined;
    if (web?.handled(exception, request, response, String(request.id ?? ''))) return;
    const body = toErrorBody(exception, String(request.id ?? ''));
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId: body.requestId }, 'unhandled error');
    }
    if (response.sent || response.raw.headersSent) return;
    const retryAfter = (body.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (body.statusCode === 429 && typeof retryAfter === 'number') response.header('Retry-After', String(retryAfter));
    // Page routes answer an HTML page in the layout; the JSON API keeps its error shape.
    if (web) return web.send(request, response, body.statusCode, body.statusCode, body.requestId);
    response.status(body.statusCode).send(body);
  }
}
