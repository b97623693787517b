import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Where a value (a body, query or path parameter, however nested) holds a string with a NUL character. */
export function nulFields(value: unknown, path: string, found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulFields(item, `${path}[${i}]`, found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) found.push(path ? `${path}.${key.replace(/\u0000/g, '\\0')}` : key.replace(/\u0000/g, '\\0'));
      nulFields(item, path ? `${path}.${key}` : key, found);
    }
  }
  return found;
}

const MODEL_PROPERTIES = 'swagger/apiModelProperties';
const MODEL_PROPERTIES_ARRAY = 'swagger/apiModelPropertiesArray';
type Class = abstract new (...args: never[]) => unknown;

/**
 * Where a body gives null for a field its DTO does not declare `nullable` (class-validator's
 * @IsOptional lets null through, and the column would refuse it): the OpenAPI metadata of the
 * DTO is the one statement of which fields may be null. Nested DTOs are followed.
 */
export function nullFields(value: unknown, metatype: unknown, path = '', found: string[] = []): string[] {
  if (typeof metatype !== 'function' || value === null || typeof value !== 'object') return found;
  const prototype = (metatype as Class).prototype as object;
  const names = ((Reflect.getMetadata(MODEL_PROPERTIES_ARRAY, prototype) as string[] | undefined) ?? []).map((name) => name.replace(/^:/, ''));
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(value, name)) continue;
    const options = (Reflect.getMetadata(MODEL_PROPERTIES, prototype, name) ?? {}) as { nullable?: boolean; type?: unknown };
    const item = (value as Record<string, unknown>)[name];
    const field = path ? `${path}.${name}` : name;
    if (item === null) {
      if (!options.nullable) found.push(field);
      continue;
    }
    // a nested DTO (`type: () => Dto` or `type: Dto`), alone or in a list
    let nested = options.type;
    if (typeof nested === 'function' && !(nested as { prototype?: unknown }).prototype) nested = (nested as () => unknown)();
    if (typeof nested !== 'function' || [String, Number, Boolean, Object, Date].includes(nested as never)) continue;
    if (Array.isArray(item)) item.forEach((entry, i) => nullFields(entry, nested, `${field}[${i}]`, found));
    else nullFields(item, nested, field, found);
  }
  return found;
}

/**
 * Text with a NUL character cannot be stored (PostgreSQL refuses it in text) and is never
 * meant: every string input is refused here, in one place, before any DTO rule, as a 400 naming it.
 */
class NoNulValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Values of custom parameter decorators (the caller, a web page's context) are the app's own, not input.
    if (metadata.type === 'custom') return value;
    const details = [
      ...nulFields(value, metadata.type === 'body' || metadata.type === 'query' ? '' : (metadata.data ?? '')).map((field) => ({
        field: field || metadata.type,
        messages: ['must not contain a NUL character'],
      })),
      ...(metadata.type === 'body' ? nullFields(value, metadata.metatype).map((field) => ({ field, messages: ['must not be null'] })) : []),
    ];
    if (details.length > 0) {
      throw new AppError(400, CommonErrorCode.VALIDATION_FAILED, `Invalid input: ${details.map((d) => `${d.field} ${d.messages[0]}`).join('; ')}`, details);
    }
    return super.transform(value, metadata);
  }
}

/** The one way to validate: class-validator DTOs, unknown fields refused, values transformed; no NUL characters. */
export function createValidationPipe(): ValidationPipe {
  return new NoNulValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validateCustomDecorators: false,
    exceptionFactory: validationError,
  });
}
