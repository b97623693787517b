import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, CommonErrorCode, FieldError } from './errors/app-error.js';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? (/^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : `${prefix}.${error.property}`) : error.property;
    const own = error.constraints
      ? [{ field, messages: Object.values(error.constraints).map((m) => (m.startsWith(`${error.property} `) ? m.slice(error.property.length + 1) : m)) }]
      : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

export function validationError(errors: ValidationError[]): AppError {
  const details = flatten(errors);
  return new AppError(
    400,
    CommonErrorCode.VALIDATION_FAILED,
    `Invalid input: ${details.map((d) => `${d.field} ${d.messages.join(', ')}`).join('; ')}`,
    details,
  );
}

/** The one way to validate: class-validator DTOs, unknown fields refused, values transformed. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validateCustomDecorators: false,
    exceptionFactory: validationError,
  });
}
