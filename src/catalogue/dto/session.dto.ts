import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUrl, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { SESSION_STATUSES, WAITLIST_MODES, type SessionStatus, type WaitlistMode } from '../session.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const INSTANT = { strict: true, strictSeparator: true } as const;
const INSTANT_MESSAGE = { message: 'must be an ISO 8601 date-time such as 2027-03-01T09:00:00Z' };

export class CreateSessionDto {
  @ApiProperty({ example: '2027-03-01T08:00:00Z' })
  @IsISO8601(INSTANT, INSTANT_MESSAGE)
  startsAt: string;

  @ApiProperty({ example: '2027-03-01T15:00:00Z', description: 'After startsAt' })
  @IsISO8601(INSTANT, INSTANT_MESSAGE)
  endsAt: string;

  @ApiPropertyOptional({ example: '0380', description: 'Where it takes place; required unless online' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}$/, { message: 'must be a 4-digit SCB municipality code' })
  municipalityCode?: string;

  @ApiPropertyOptional({ example: false, default: false, description: 'Online (with a municipality too: hybrid)' })
  @IsOptional()
  @IsBoolean()
  online?: boolean;

  @ApiPropertyOptional({ example: 'Kungsgatan 10, 753 21 Uppsala, sal 2' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  venue?: string;

  @ApiPropertyOptional({ example: 'https://meet.example.se/upphandling', description: 'Sent to confirmed participants' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'must be an http(s) address' })
  @MaxLength(500)
  onlineUrl?: string;

  @ApiProperty({ example: 20, minimum: 1, maximum: 10000 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  capacity: number;

  @ApiPropertyOptional({ example: '2027-01-15T08:00:00Z', description: 'Null: bookable as soon as the offering is published' })
  @IsOptional()
  @IsISO8601(INSTANT, INSTANT_MESSAGE)
  bookingOpensAt?: string;

  @ApiPropertyOptional({ example: '2027-02-25T23:00:00Z', description: 'Defaults to startsAt; may not be after it' })
  @IsOptional()
  @IsISO8601(INSTANT, INSTANT_MESSAGE)
  bookingClosesAt?: string;

  @ApiPropertyOptional({ example: '2027-02-22T23:00:00Z', description: 'Until then participants may cancel; not after startsAt. Null: until the start' })
  @IsOptional()
  @IsISO8601(INSTANT, INSTANT_MESSAGE)
  cancellationDeadline?: string;

  @ApiPropertyOptional({ example: false, default: false, description: 'Bookings need the employer\'s (org_admin\'s) approval' })
  @IsOptional()
  @IsBoolean()
  requiresApproval?: boolean;

  @ApiPropertyOptional({ enum: WAITLIST_MODES, default: 'offer', description: 'offer: a freed seat is offered to the next in line with a deadline; auto: the next in line is confirmed' })
  @IsOptional()
  @IsIn(WAITLIST_MODES)
  waitlistMode?: WaitlistMode;
}

/** Any field may change; the result is validated as a whole, and capacity may not go below the seats taken (409). */
export class UpdateSessionDto {
  @ApiPropertyOptional({ example: '2027-03-01T08:00:00Z' })
  @IsOptional()
  @IsISO8601(INSTANT, INSTANT_MESSAGE)
  startsAt?: string;

  @ApiPropertyOptional({ example: '2027-03-01T15:00:00Z' })
  @IsOptional()
  @IsISO8601(INSTANT, INSTANT_MESSAGE)
  endsAt?: string;

  @ApiPropertyOptional({ example: '0380', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}$/, { message: 'must be a 4-digit SCB municipality code' })
  municipalityCode?: string | null;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  online?: boolean;

  @ApiPropertyOptional({ example: 'Kungsgatan 10, Uppsala', nullable: true, type: String })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  venue?: string | null;

  @ApiPropertyOptional({ example: 'https://meet.example.se/upphandling', nullable: true, type: String })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'must be an http(s) address' })
  @MaxLength(500)
  onlineUrl?: string | null;

  @ApiPropertyOptional({ example: 25, minimum: 1, maximum: 10000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  capacity?: number;

  @ApiPropertyOptional({ example: '2027-01-15T08:00:00Z', nullable: true, type: String })
  @IsOptional()
  @IsISO8601(INSTANT, INSTANT_MESSAGE)
  bookingOpensAt?: string | null;

  @ApiPropertyOptional({ example: '2027-02-25T23:00:00Z' })
  @IsOptional()
  @IsISO8601(INSTANT, INSTANT_MESSAGE)
  bookingClosesAt?: string;

  @ApiPropertyOptional({ example: '2027-02-22T23:00:00Z', nullable: true, type: String })
  @IsOptional()
  @IsISO8601(INSTANT, INSTANT_MESSAGE)
  cancellationDeadline?: string | null;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  requiresApproval?: boolean;

  @ApiPropertyOptional({ enum: WAITLIST_MODES })
  @IsOptional()
  @IsIn(WAITLIST_MODES)
  waitlistMode?: WaitlistMode;
}

export class CancelSessionDto {
  @ApiProperty({ example: 'Kursledaren är sjuk; vi återkommer med ett nytt datum.', description: 'Told to the people who booked' })
  @Transform(trim)
  @IsString()
  @Length(3, 500)
  reason: string;
}

export class SessionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  offeringId: string;

  @ApiProperty({ example: '2027-03-01T08:00:00.000Z' })
  startsAt: string;

  @ApiProperty({ example: '2027-03-01T15:00:00.000Z' })
  endsAt: string;

  @ApiProperty({ nullable: true, type: String, example: '0380' })
  municipalityCode: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'Uppsala' })
  municipalityName: string | null;

  @ApiProperty({ nullable: true, type: String, example: '03' })
  countyCode: string | null;

  @ApiProperty({ example: false })
  online: boolean;

  @ApiProperty({ nullable: true, type: String, example: 'Kungsgatan 10, Uppsala' })
  venue: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'The online link: only shown to the provider\'s staff and coordinators (participants get it by email)',
  })
  onlineUrl: string | null;

  @ApiProperty({ example: 20 })
  capacity: number;

  @ApiProperty({ example: 12, description: 'capacity minus the seats taken (confirmed and offered)' })
  seatsLeft: number;

  @ApiProperty({ nullable: true, type: String, example: null })
  bookingOpensAt: string | null;

  @ApiProperty({ example: '2027-03-01T08:00:00.000Z' })
  bookingClosesAt: string;

  @ApiProperty({ nullable: true, type: String, example: '2027-02-22T23:00:00.000Z' })
  cancellationDeadline: string | null;

  @ApiProperty({ example: false })
  requiresApproval: boolean;

  @ApiProperty({ enum: WAITLIST_MODES, example: 'offer' })
  waitlistMode: WaitlistMode;

  @ApiProperty({ enum: SESSION_STATUSES, example: 'scheduled' })
  status: SessionStatus;

  @ApiProperty({ nullable: true, type: String, example: null })
  cancellationReason: string | null;
}
