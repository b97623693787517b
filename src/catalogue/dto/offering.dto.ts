import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination.js';
import { LEVELS, OFFERING_STATUSES, TARGET_GROUPS, type Level, type OfferingStatus, type TargetGroup } from '../offering.entity.js';
import { SessionDto } from './session.dto.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateOfferingDto {
  @ApiProperty({ format: 'uuid', description: 'The provider publishing it (you must be its staff, or a coordinator)' })
  @IsUUID('all', { message: 'must be a UUID' })
  providerId: string;

  @ApiProperty({ example: 'Offentlig upphandling för sociala företag', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @Length(3, 200)
  title: string;

  @ApiProperty({ example: 'En utbildning om LOU, anbud och avtal med kommuner, för dig som driver ett socialt företag.' })
  @Transform(trim)
  @IsString()
  @Length(1, 20_000)
  description: string;

  @ApiProperty({ type: [String], example: ['public_procurement', 'social_enterprise_methods'], description: 'Theme codes (GET /themes), at least one' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  themeCodes: string[];

  @ApiProperty({ example: 'short_course', description: 'Format code (GET /formats)' })
  @IsString()
  @MaxLength(60)
  format: string;

  @ApiPropertyOptional({ example: 'sv', default: 'sv', description: 'ISO 639-1 language code' })
  @IsOptional()
  @Matches(/^[a-z]{2}$/, { message: 'must be a two-letter ISO 639-1 code such as sv or en' })
  language?: string;

  @ApiPropertyOptional({ enum: LEVELS, example: 'introductory' })
  @IsOptional()
  @IsIn(LEVELS)
  level?: Level;

  @ApiProperty({ enum: TARGET_GROUPS, isArray: true, example: ['social_economy', 'public_sector'] })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(TARGET_GROUPS, { each: true })
  targetGroups: TargetGroup[];

  @ApiPropertyOptional({ type: [String], example: ['step_free_access', 'induction_loop'], description: 'Accessibility feature codes provided (GET /accessibility-features)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  accessibilityFeatures?: string[];

  @ApiPropertyOptional({ example: 12, description: 'Study hours' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ maxDecimalPlaces: 1 })
  @Min(0.5)
  @Max(10_000)
  hours?: number;

  @ApiProperty({ example: 0, description: 'Price in SEK; 0 for courses funded by the programme' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  priceSek: number;

  @ApiPropertyOptional({ example: 'kurser@sv.se' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  contactEmail?: string;
}

/** Everything but the provider can be changed. */
export class UpdateOfferingDto extends PartialType(OmitType(CreateOfferingDto, ['providerId'] as const)) {}

export class OfferingDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  providerId: string;

  @ApiProperty({ example: 'Studieförbundet Vuxenskolan' })
  providerName: string;

  @ApiProperty({ example: 'Offentlig upphandling för sociala företag' })
  title: string;

  @ApiProperty({ example: 'En utbildning om LOU, anbud och avtal med kommuner.' })
  description: string;

  @ApiProperty({ type: [String], example: ['public_procurement'] })
  themeCodes: string[];

  @ApiProperty({ example: 'short_course' })
  format: string;

  @ApiProperty({ example: 'sv' })
  language: string;

  @ApiProperty({ enum: LEVELS, nullable: true, example: 'introductory' })
  level: Level | null;

  @ApiProperty({ enum: TARGET_GROUPS, isArray: true, example: ['social_economy'] })
  targetGroups: TargetGroup[];

  @ApiProperty({ type: [String], example: ['step_free_access'] })
  accessibilityFeatures: string[];

  @ApiProperty({ nullable: true, type: Number, example: 12 })
  hours: number | null;

  @ApiProperty({ example: 0 })
  priceSek: number;

  @ApiProperty({ nullable: true, type: String, example: 'kurser@sv.se' })
  contactEmail: string | null;

  @ApiProperty({ enum: OFFERING_STATUSES, example: 'published' })
  status: OfferingStatus;

  @ApiProperty({ nullable: true, type: String, example: '2026-11-26T09:00:00.000Z' })
  publishedAt: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  archivedAt: string | null;

  @ApiProperty({ type: () => SessionDto, isArray: true, description: 'Its sessions by start time, each with seatsLeft' })
  sessions: SessionDto[];
}

export class OfferingPageDto {
  @ApiProperty({ type: OfferingDto, isArray: true })
  items: OfferingDto[];

  @ApiProperty({ example: 1 })
  total: number;
}

export class ProviderOfferingsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: OFFERING_STATUSES, description: 'Only staff and coordinators see drafts and archived offerings' })
  @IsOptional()
  @IsIn(OFFERING_STATUSES)
  status?: OfferingStatus;
}
