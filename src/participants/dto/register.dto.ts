import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DATE_ONLY } from '../../programmes/dto/programme.dto.js';
import { PageOf, PaginationQueryDto } from '../../common/pagination.js';
import { GENDERS } from '../../organisations/person-profile.entity.js';
import { END_REASONS } from '../participant.entity.js';

export class EsfRegisterQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'], default: 'json', description: 'csv and xlsx: the whole register (limit and offset apply to json)' })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';
}

export class EsfParticipantDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ type: String, nullable: true, example: 'Anna Andersson', description: 'Null once the person\'s account is erased (the row is kept as ESF evidence)' }) name: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'anna@example.se' }) email: string | null;
  @ApiProperty({ example: false }) erased: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) organisationId: string | null;
  @ApiProperty({ type: String, nullable: true, example: '802412-3456', description: 'The organisation number at the start' }) orgNumber: string | null;
  @ApiProperty({ format: 'date', example: '2027-09-14', description: 'The day of the first attended session' }) startedOn: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'Left, ended by a coordinator, or the programme\'s end once past' }) endedOn: string | null;
  @ApiProperty({ enum: [...END_REASONS, 'programme_ended'], nullable: true }) endReason: string | null;
  @ApiProperty({ enum: GENDERS, nullable: true, description: 'From the person\'s profile; null: not stated' }) gender: string | null;
  @ApiProperty({ example: 6, description: 'Hours of the sessions attended (or the whole hours recorded)' }) hoursAttended: number;
  @ApiProperty({ example: 3, description: 'Hours in time reports certified by the participant' }) certifiedHours: number;
  @ApiProperty({ example: true, description: 'Whether an identity number is given (it is never shown here)' }) identityNumberGiven: boolean;
}

export class EsfParticipantPageDto extends PageOf(EsfParticipantDto) {
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    example: '2035-12-31',
    description: 'The register, hours, time reports and identity numbers are kept until this day (31 December of the fifth year after finalPaymentYear), then purged: export them before. Null while finalPaymentYear is not set',
  })
  evidenceKeptUntil: string | null;
}

export class EndEsfParticipationDto {
  @ApiPropertyOptional({ format: 'date', example: '2027-10-31', description: 'Default today; not before the start and not in the future' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'must be a date as YYYY-MM-DD' })
  endedOn?: string;
}

export class EsfParticipationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: 'Kompetenslyft 2027–2029' }) programmeTitle: string;
  @ApiProperty({ format: 'date' }) startedOn: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) endedOn: string | null;
  @ApiProperty({ enum: [...END_REASONS, 'programme_ended'], nullable: true }) endReason: string | null;
  @ApiProperty({ example: 6 }) hoursAttended: number;
}

export class EsfParticipationPageDto extends PageOf(EsfParticipationDto) {}
