import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { MONTH } from './time-report.dto.js';

export class MonthlyFileQueryDto {
  @ApiProperty({ example: '2027-01', description: 'The month (YYYY-MM)' })
  @IsString()
  @Matches(MONTH, { message: 'must be a month as YYYY-MM' })
  month: string;
}

export const MONTHLY_FILE_STATUSES = ['not_sent', 'sent', 'resend'] as const;

export class MonthlyFileDto {
  @ApiProperty({ example: '2027-01' }) month: string;
  @ApiProperty({ example: 3, description: 'Participants who started in the month' }) starts: number;
  @ApiProperty({ example: 1, description: 'Participants who ended in the month' }) ends: number;
  @ApiProperty({ example: 0, description: 'Of these, people with no identity number given yet (their rows have an empty number)' }) missingIdentityNumbers: number;
  @ApiProperty({
    enum: MONTHLY_FILE_STATUSES,
    description: 'not_sent; sent (as the files stand now); resend: sent, but this month or an earlier one changed since, so it must be sent again',
  })
  status: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSentAt: string | null;
  @ApiProperty({ format: 'date', example: '2027-02-28', description: 'Due four weeks after the month' }) dueOn: string;
  @ApiProperty({ example: true, description: 'Whether the month is over (only then can it be marked sent)' }) monthOver: boolean;
}

export class MonthlyFileListDto {
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ type: [MonthlyFileDto], description: 'From the programme\'s first month to the current one' }) items: MonthlyFileDto[];
  @ApiProperty({ example: 6 }) total: number;
}
