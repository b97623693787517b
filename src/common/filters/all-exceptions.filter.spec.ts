import { BadRequestException, NotFoundException } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';
import { toErrorBody } from './all-exceptions.filter.js';

describe('toErrorBody', () => {
  it('keeps a domain error code, message and details', () => {
    expect(toErrorBody(AppError.conflict('BOOKING_SESSION_FULL', 'Full', { seats: 0 }), 'r1')).toEqual({
      statusCode: 409,
      code: 'BOOKING_SESSION_FULL',
      message: 'Full',
      details: { seats: 0 },
      requestId: 'r1',
    });
  });

  it('maps framework exceptions to a code by status', () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /x'), 'r2')).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect(toErrorBody(new BadRequestException(['a', 'b']), 'r3')).toMatchObject({ statusCode: 400, message: 'a; b' });
  });

  it('never leaks internals of an unexpected error', () => {
    const body = toErrorBody(new Error('password=hunter2 at db.query'), 'r4');
    expect(body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Something went wrong on our side', requestId: 'r4' });
  });
});
