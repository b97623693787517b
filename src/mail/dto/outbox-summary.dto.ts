import { ApiProperty } from '@nestjs/swagger';

export class OutboxFailureDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'booking-confirmed' })
  template: string;

  @ApiProperty({ example: 3 })
  attempts: number;

  @ApiProperty({ example: '550 Mailbox unavailable', type: String, nullable: true })
  lastError: string | null;

  @ApiProperty({ example: '2026-11-26T09:00:00.000Z' })
  createdAt: string;
}

export class OutboxSummaryDto {
  @ApiProperty({ example: { pending: 2, sending: 0, sent: 130, failed: 1 } })
  byStatus: Record<'pending' | 'sending' | 'sent' | 'failed', number>;

  @ApiProperty({ nullable: true, type: String, example: '2026-11-26T09:00:00.000Z', description: 'Oldest email still waiting' })
  oldestPendingAt: string | null;

  @ApiProperty({ type: OutboxFailureDto, isArray: true, description: 'The 20 latest permanent failures' })
  recentFailures: OutboxFailureDto[];
}
