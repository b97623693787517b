/** Error codes shared by all modules; modules add their own string enums next to their code. */
export enum CommonErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  RATE_LIMITED = 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  INTERNAL = 'INTERNAL_ERROR',
}

export interface FieldError {
  field: string;
  messages: string[];
}

/**
 * A domain error with a stable code. Services throw these; one filter maps them to the API's
 * error shape `{ statusCode, code, message, details?, requestId }`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: FieldError[] | Record<string, unknown>,
  ) {
    super(message);
  }

  static validation(field: string, message: string): AppError {
    return new AppError(400, CommonErrorCode.VALIDATION_FAILED, `${field}: ${message}`, [{ field, messages: [message] }]);
  }

  static notFound(what: string, code: string = CommonErrorCode.NOT_FOUND): AppError {
    return new AppError(404, code, `${what} not found`);
  }

  static forbidden(message = 'You may not do this', code: string = CommonErrorCode.FORBIDDEN): AppError {
    return new AppError(403, code, message);
  }

  static conflict(code: string, message: string, details?: Record<string, unknown>): AppError {
    return new AppError(409, code, message, details);
  }

  static unauthenticated(message = 'Sign in required', code: string = CommonErrorCode.UNAUTHENTICATED): AppError {
    return new AppError(401, code, message);
  }
}
