import { ApiProperty } from '@nestjs/swagger';

export class InvitationCountsDto {
  @ApiProperty({ example: 40, description: 'Created, waiting for their send time' })
  scheduled: number;

  @ApiProperty({ example: 3, description: 'Of the scheduled: their send time has come (waiting for the dispatcher or the quiet hours)' })
  due: number;

  @ApiProperty({ example: 25, description: 'Sent, not answered yet' })
  sent: number;

  @ApiProperty({ example: 60 })
  answered: number;

  @ApiProperty({ example: 4, description: '"I don\'t want to answer"' })
  optedOut: number;

  @ApiProperty({ example: 9 })
  expired: number;

  @ApiProperty({ example: 1, description: 'Attendance changed to absent before sending' })
  cancelled: number;
}

export class DeliveryCountsDto {
  @ApiProperty({ example: 2 })
  pending: number;

  @ApiProperty({ example: 0 })
  sending: number;

  @ApiProperty({ example: 120 })
  sent: number;

  @ApiProperty({ example: 1, description: 'Given up after the last retry or refused permanently by the mail server' })
  failed: number;
}

export class FollowUpStatusDto {
  @ApiProperty({ example: '2026-11-26T09:00:00.000Z' })
  at: string;

  @ApiProperty({ type: InvitationCountsDto })
  invitations: InvitationCountsDto;

  @ApiProperty({ example: 30 })
  remindersSent: number;

  @ApiProperty({ type: DeliveryCountsDto, description: 'Emails of invitations and reminders in the outbox, by delivery state' })
  deliveries: DeliveryCountsDto;

  @ApiProperty({ example: '21-08', nullable: true, type: String, description: 'Local hours when nothing is sent; null when QUIET_HOURS=off' })
  quietHours: string | null;
}
