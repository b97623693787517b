import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Roles } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';

export class OutboxFailureDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'booking-confirmed' })
  template: string;

  @ApiProperty({ example: 3 })
  attempts: number;

  @ApiProperty({ example: '550 Mailbox unavailable' })
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

/** The operators' view of the mail outbox: is mail flowing, what failed. No message content. */
@ApiTags('mail')
@ApiBearerAuth()
@Controller('mail/outbox')
export class MailController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('summary')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Outbox health: counts per status and recent permanent failures (coordinator)' })
  @ApiOkResponse({ type: OutboxSummaryDto })
  @ApiErrors(401, 403)
  async summary(): Promise<OutboxSummaryDto> {
    const counts = (await this.dataSource.query(
      `SELECT status, count(*)::int AS n, min(created_at) FILTER (WHERE status = 'pending') AS oldest
         FROM mail_outbox GROUP BY status`,
    )) as { status: string; n: number; oldest: Date | null }[];
    const failures = (await this.dataSource.query(
      `SELECT id, template, attempts, last_error, created_at FROM mail_outbox
        WHERE status = 'failed' ORDER BY created_at DESC LIMIT 20`,
    )) as { id: string; template: string; attempts: number; last_error: string | null; created_at: Date }[];
    const byStatus = { pending: 0, sending: 0, sent: 0, failed: 0 };
    for (const row of counts) byStatus[row.status as keyof typeof byStatus] = row.n;
    const oldest = counts.find((row) => row.status === 'pending')?.oldest ?? null;
    return {
      byStatus,
      oldestPendingAt: oldest ? oldest.toISOString() : null,
      recentFailures: failures.map((f) => ({
        id: f.id,
        template: f.template,
        attempts: f.attempts,
        lastError: f.last_error,
        createdAt: f.created_at.toISOString(),
      })),
    };
  }
}
