import { Param, ParseUUIDPipe } from '@nestjs/common';
import { AppError } from './errors/app-error.js';

/** A route parameter that must be a UUID: anything else is a 400 naming the parameter. */
export const UuidParam = (name: string) =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => AppError.validation(name, 'must be a UUID') }));
