import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination.js';
import { BOOKING_STATUSES, type BookingStatus } from '../booking.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateBookingDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Book for this employee (org_admin of their organisation); default: yourself' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  participantUserId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The organisation the booking is made through (its admins approve); required when the participant belongs to several',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  organisationId?: string;

  @ApiPropertyOptional({ type: [String], example: ['induction_loop', 'easy_to_read'], description: 'Accessibility feature codes (GET /accessibility-features)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  accessibilityRequests?: string[];

  @ApiPropertyOptional({ example: 'Jag kommer med ledsagare.', maxLength: 1000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class BookingCreatedDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['confirmed', 'waitlisted', 'pending_approval'], example: 'confirmed' })
  status: BookingStatus;

  @ApiProperty({ nullable: true, type: Number, example: null, description: 'Place on the waitlist (1 = next), when waitlisted' })
  waitlistPosition: number | null;
}

/** A booking's state after a decision (approve, reject, accept an offer, cancel). */
export class BookingStateDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: BOOKING_STATUSES, example: 'cancelled' })
  status: BookingStatus;

  @ApiProperty({ nullable: true, type: Number, example: null, description: 'Place on the waitlist (1 = next), when waitlisted' })
  waitlistPosition: number | null;
}

export class RejectBookingDto {
  @ApiProperty({ example: 'Kursen krockar med en upphandling vi måste lämna in samma vecka.', minLength: 1, maxLength: 500 })
  @Transform(trim)
  @IsString()
  @Length(1, 500)
  reason: string;
}

export class CancelBookingDto {
  @ApiPropertyOptional({ example: 'Sjuk', maxLength: 500 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class BookingSessionSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Offentlig upphandling för sociala företag' })
  title: string;

  @ApiProperty({ example: 'Studieförbundet Vuxenskolan' })
  providerName: string;

  @ApiProperty({ example: '2026-12-10T08:00:00.000Z' })
  startsAt: string;

  @ApiProperty({ example: '2026-12-10T11:00:00.000Z' })
  endsAt: string;

  @ApiProperty({ example: 'scheduled' })
  status: string;
}

export class BookingDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  organisationId: string | null;

  @ApiProperty({ enum: BOOKING_STATUSES, example: 'waitlisted' })
  status: BookingStatus;

  @ApiProperty({ nullable: true, type: Number, example: 3, description: 'Place on the waitlist (1 = next), when waitlisted' })
  waitlistPosition: number | null;

  @ApiProperty({ nullable: true, type: String, example: '2026-12-03T09:00:00.000Z', description: 'When an offered seat must be accepted' })
  offerExpiresAt: string | null;

  @ApiProperty({ type: [String], example: ['induction_loop'] })
  accessibilityRequests: string[];

  @ApiProperty({ nullable: true, type: String })
  note: string | null;

  @ApiProperty({ nullable: true, type: String })
  rejectionReason: string | null;

  @ApiProperty({ nullable: true, type: Boolean, description: 'Recorded by the provider after the start' })
  attended: boolean | null;

  @ApiProperty({ example: '2026-11-26T09:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ nullable: true, type: String })
  confirmedAt: string | null;

  @ApiProperty({ nullable: true, type: String })
  cancelledAt: string | null;

  @ApiProperty({ type: BookingSessionSummaryDto })
  session: BookingSessionSummaryDto;
}

export class BookingPageDto {
  @ApiProperty({ type: [BookingDto] })
  items: BookingDto[];

  @ApiProperty({ example: 1 })
  total: number;
}

export class ParticipantDto extends BookingDto {
  @ApiProperty({ nullable: true, type: String, example: 'Anna Svensson' })
  participantName: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'anna@example.se' })
  participantEmail: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'Kooperativet Framsteg' })
  organisationName: string | null;
}

export class ParticipantPageDto {
  @ApiProperty({ type: [ParticipantDto] })
  items: ParticipantDto[];

  @ApiProperty({ example: 1 })
  total: number;
}

export class BookingListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: BOOKING_STATUSES })
  @IsOptional()
  @IsIn(BOOKING_STATUSES)
  status?: BookingStatus;
}

export class SessionBookingsQueryDto extends BookingListQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv: a sign-in sheet of the confirmed participants' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class AttendanceRecordDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  bookingId: string;

  @ApiProperty({ example: true })
  @IsBoolean()
  attended: boolean;

  @ApiPropertyOptional({
    example: 2,
    minimum: 1,
    maximum: 24,
    description: 'Whole hours attended, when the person took part in only part of the session (only with attended: true; at most the session\'s length rounded up). Omitted: the whole session.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24)
  hours?: number;
}

export class RecordAttendanceDto {
  @ApiProperty({ type: [AttendanceRecordDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @ValidateNested({ each: true })
  @Type(() => AttendanceRecordDto)
  records: AttendanceRecordDto[];
}

export class AttendanceRecordedDto {
  @ApiProperty({ example: 12 })
  recorded: number;
}

export class AttendanceMissingQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for provider staff (their provider); coordinators may leave it out for all' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  providerId?: string;
}

export class AttendanceMissingDto {
  @ApiProperty({ format: 'uuid' })
  sessionId: string;

  @ApiProperty({ format: 'uuid' })
  offeringId: string;

  @ApiProperty({ example: 'Offentlig upphandling för sociala företag' })
  offeringTitle: string;

  @ApiProperty({ format: 'uuid' })
  providerId: string;

  @ApiProperty({ example: '2026-11-20T15:00:00.000Z' })
  endedAt: string;

  @ApiProperty({ example: 3, description: 'Confirmed bookings with no attendance recorded' })
  missing: number;
}
