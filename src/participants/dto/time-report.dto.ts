import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { PageOf, PaginationQueryDto } from '../../common/pagination.js';
import { TIME_REPORT_STATUSES } from '../participant.entity.js';

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class TimeReportLineDto {
  @ApiProperty({ format: 'date', example: '2027-01-14' }) day: string;
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty({ format: 'uuid' }) offeringId: string;
  @ApiProperty({ example: 3 }) hours: number;
}

export class TimeReportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) participantId: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: 'Kompetenslyft 2027–2029' }) programmeTitle: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The organisation the participation is through (its admins co-sign)' }) organisationId: string | null;
  @ApiProperty({ example: '2027-01', description: 'YYYY-MM' }) month: string;
  @ApiProperty({ example: 1, description: 'Corrections of a certified report have higher versions' }) version: number;
  @ApiProperty({
    enum: TIME_REPORT_STATUSES,
    description: 'open: follows attendance, may be certified; certified: frozen; cosigned: also signed by an org admin; corrected: replaced by a correction (the next version)',
  })
  status: string;
  @ApiProperty({ example: 7 }) hours: number;
  @ApiProperty({ example: 2, description: 'Sessions attended' }) sessions: number;
  @ApiProperty({ type: [TimeReportLineDto], description: 'Hours per session and day (as certified, once certified)' }) lines: TimeReportLineDto[];
  @ApiProperty({ example: false, description: 'Whether the programme asks an org admin to co-sign' }) cosignRequired: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) correctsReportId: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) certifiedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) cosignedAt: string | null;
}

export class TimeReportPageDto extends PageOf(TimeReportDto) {}

export class TimeReportQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: '2027-01', description: 'Only this month (YYYY-MM)' })
  @IsOptional()
  @Matches(MONTH, { message: 'must be a month as YYYY-MM' })
  month?: string;

  @ApiPropertyOptional({ enum: TIME_REPORT_STATUSES })
  @IsOptional()
  @IsIn(TIME_REPORT_STATUSES)
  status?: (typeof TIME_REPORT_STATUSES)[number];
}

export class CertificationCodeSentDto {
  @ApiProperty({ format: 'date-time', description: 'The code works until then (15 minutes)' }) expiresAt: string;
}

export class CertifyTimeReportDto {
  @ApiProperty({ example: '123456', description: 'The 6-digit code from the email' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'must be the 6 digits from the email' })
  code: string;
}
