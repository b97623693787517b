import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'VALIDATION_FAILED' })
  code: string;

  @ApiProperty({ example: 'Invalid input: email must be an email address' })
  message: string;

  @ApiProperty({
    required: false,
    example: [{ field: 'email', messages: ['must be an email address'] }],
    description: 'Per-field messages for 400; other context for other codes',
  })
  details?: unknown;

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

/** Documents the error responses of a route in the one error shape. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponseDto })),
  );
}
