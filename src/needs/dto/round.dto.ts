import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { SECTORS, type Sector } from '../../organisations/organisation.entity.js';
import { INVITE_SCOPES, type InviteScope, ROUND_STATUSES, type RoundStatus } from '../needs.codes.js';
import { trim } from './transforms.js';

const toDate = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : value;

/** Exactly one of the keys: `all: true`, `counties`, `sectors` or `organisationIds`. */
export class RoundInviteDto {
  @ApiPropertyOptional({ example: true, description: 'Every registered organisation' })
  @IsOptional()
  @IsIn([true], { message: 'must be true when given' })
  all?: true;

  @ApiPropertyOptional({ example: ['03', '05'], description: 'Organisations in these counties (län codes)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @Matches(/^\d{2}$/, { each: true, message: 'each must be a 2-digit county code' })
  counties?: string[];

  @ApiPropertyOptional({ enum: SECTORS, isArray: true, example: ['social_economy'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(SECTORS, { each: true })
  sectors?: Sector[];

  @ApiPropertyOptional({ type: String, isArray: true, format: 'uuid', example: ['3f0e8a2c-6f1e-4d7a-9a43-1d2b3c4d5e6f'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @IsUUID('all', { each: true, message: 'each must be a UUID' })
  organisationIds?: string[];
}

export class CreateRoundDto {
  @ApiProperty({ example: 'Behovsinventering våren 2027' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  title: string;

  @ApiPropertyOptional({ example: 'Vilken kompetensutveckling behöver era anställda under 2027?' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiProperty({ example: '2027-02-01T08:00:00+01:00', description: 'Statements are taken from this instant' })
  @Transform(toDate)
  @IsDate({ message: 'must be an ISO 8601 instant' })
  opensAt: Date;

  @ApiProperty({ example: '2027-03-15T23:59:00+01:00', description: 'Statements are taken until this instant; after opensAt' })
  @Transform(toDate)
  @IsDate({ message: 'must be an ISO 8601 instant' })
  closesAt: Date;

  @ApiPropertyOptional({
    type: RoundInviteDto,
    description: 'Who is invited; resolved to organisations when the round opens. Left out: nobody yet (choose with PATCH before opening).',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RoundInviteDto)
  invite?: RoundInviteDto;
}

export class UpdateRoundDto {
  @ApiPropertyOptional({ example: 'Behovsinventering våren 2027' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  title?: string;

  @ApiPropertyOptional({ example: 'Ny beskrivning' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ example: '2027-02-01T08:00:00+01:00' })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'must be an ISO 8601 instant' })
  opensAt?: Date;

  @ApiPropertyOptional({ example: '2027-03-31T23:59:00+02:00', description: 'May be moved while the round is open (e.g. extended)' })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'must be an ISO 8601 instant' })
  closesAt?: Date;

  @ApiPropertyOptional({ type: RoundInviteDto, description: 'Only while draft' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RoundInviteDto)
  invite?: RoundInviteDto;
}

export class RoundInviteViewDto {
  @ApiProperty({ enum: INVITE_SCOPES, example: 'counties' })
  scope: InviteScope;

  @ApiProperty({ type: String, isArray: true, example: ['03', '05'], description: 'County codes, sectors or organisation ids; empty for all' })
  values: string[];
}

export class RoundDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Behovsinventering våren 2027' })
  title: string;

  @ApiProperty({ nullable: true, type: String })
  description: string | null;

  @ApiProperty({ example: '2027-02-01T07:00:00.000Z' })
  opensAt: string;

  @ApiProperty({ example: '2027-03-15T22:59:00.000Z' })
  closesAt: string;

  @ApiProperty({ enum: ROUND_STATUSES, example: 'open' })
  status: RoundStatus;

  @ApiProperty({ description: 'True when statements are accepted now (open and within the dates)' })
  acceptingStatements: boolean;

  @ApiProperty({ type: RoundInviteViewDto })
  invite: RoundInviteViewDto;

  @ApiProperty({ example: 120, description: 'Invited organisations (0 while draft)' })
  invitedOrganisations: number;

  @ApiProperty({ nullable: true, type: String })
  openedAt: string | null;

  @ApiProperty({ nullable: true, type: String })
  closedAt: string | null;

  @ApiProperty({ example: '2027-01-10T09:00:00.000Z' })
  createdAt: string;
}

export class RoundPageDto {
  @ApiProperty({ type: RoundDto, isArray: true })
  items: RoundDto[];

  @ApiProperty({ example: 1 })
  total: number;
}

export class CompareQueryDto {
  @ApiProperty({ format: 'uuid', description: 'The earlier round' })
  @IsUUID('all', { message: 'must be a UUID' })
  a: string;

  @ApiProperty({ format: 'uuid', description: 'The later round' })
  @IsUUID('all', { message: 'must be a UUID' })
  b: string;
}
