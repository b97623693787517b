import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, type OpenAPIObject } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' })
  field: string;

  @ApiProperty({ type: String, isArray: true, example: ['must be an email address'] })
  messages: string[];
}

export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'VALIDATION_FAILED' })
  code: string;

  @ApiProperty({ example: 'Invalid input: email must be an email address' })
  message: string;

  @ApiProperty({
    required: false,
    oneOf: [{ type: 'array', items: { $ref: '#/components/schemas/FieldErrorDto' } }, { type: 'object', additionalProperties: true }],
    example: [{ field: 'email', messages: ['must be an email address'] }],
    description: 'Per-field messages for 400; other context (an object) for other codes',
  })
  details?: FieldErrorDto[] | Record<string, unknown>;

  @ApiProperty({ example: 'c0a8012e-5d1b-4f7a-9a43-1d2b3c4d5e6f' })
  requestId: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `details` names each field',
  401: 'Missing, invalid or expired credentials',
  403: 'Signed in, but not allowed',
  404: 'Unknown id',
  409: 'Conflicts with the current state',
  429: 'Too many attempts; see `details.retryAfterSeconds`',
};

/** What each group of operations is about (tags without an entry are listed with their name only). */
const TAG_DESCRIPTIONS: Record<string, string> = {
  auth: 'Accounts, sign-in with a password or an emailed link',
  me: 'Your own account, profile, data export and erasure',
  reference: 'Municipalities, themes, formats and accessibility features (plain arrays: reference lists are the one exception to {items, total})',
  organisations: 'Organisations, their members and invitations',
  invitations: 'Accepting an emailed invitation',
  catalogue: 'Providers, their staff, offerings and sessions; search',
  needs: 'Needs rounds, statements, assessments and the needs report',
  matching: 'Recommendations and coverage (demand against supply)',
  bookings: 'Bookings, waitlists, approvals, attendance, sign-in sheets and calendar files',
  'follow-up': 'Questionnaires, follow-up plans, anonymous evaluations and their results',
  mail: 'The outgoing mail queue, for operators',
  audit: 'Who did what, for coordinators',
  integrations: 'Webhook endpoints and deliveries (Standard Webhooks), providers\' API keys, catalogue import',
  health: 'Liveness for operators and load balancers',
};

/** Lists every tag the operations use at the document's top, with its description (as OpenAPI linters expect). */
export function defineTags(document: OpenAPIObject): OpenAPIObject {
  const used = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Record<string, { tags?: string[] }>)) for (const tag of operation?.tags ?? []) used.add(tag);
  }
  const known = new Set((document.tags ?? []).map((tag) => tag.name));
  document.tags = [
    ...(document.tags ?? []),
    ...[...used].filter((name) => !known.has(name)).sort().map((name) => ({ name, ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}) })),
  ];
  return document;
}

/**
 * Every operation that reads a body may also answer 400 (not valid JSON), 413 (over 1 MB) and 415
 * (not JSON or a form): documented once here instead of on each route. Every error is JSON.
 */
export function documentBodyErrors(document: OpenAPIObject): OpenAPIObject {
  const error = { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } } };
  const extra: Record<string, string> = { 400: DESCRIPTIONS[400], 413: 'The body is over 1 MB', 415: 'The body is neither JSON nor a form, or is compressed' };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Record<string, { requestBody?: unknown; responses: Record<string, { description?: string; content?: Record<string, unknown> }> }>)) {
      // Errors are JSON even where the route produces a file (text/calendar, text/csv): @ApiProduces would say otherwise.
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400 && response.content && !response.content['application/json']) response.content = error.content;
      }
      if (!operation.requestBody) continue;
      for (const [status, description] of Object.entries(extra)) operation.responses[status] ??= { description, ...error };
    }
  }
  return document;
}

/**
 * Every operation that takes credentials may also answer 403 AUTH_API_KEY_NOT_ALLOWED, when a
 * provider's API key is sent where provider staff do not act: documented once here.
 */
export function documentApiKeyRefusal(document: OpenAPIObject): OpenAPIObject {
  const error = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Record<string, { responses: Record<string, unknown> }>)) {
      if (operation?.responses?.['401'] && !operation.responses['403']) {
        operation.responses['403'] = { description: 'A provider\'s API key, used where provider staff do not act (AUTH_API_KEY_NOT_ALLOWED)', content: error };
      }
    }
  }
  return document;
}

/** Documents the error responses of a route in the one error shape. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(FieldErrorDto),
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponseDto })),
  );
}
