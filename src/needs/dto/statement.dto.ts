import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination.js';
import { PERIODS, type Period, PRIORITIES, type Priority, TIMES_OF_DAY, type TimeOfDay } from '../needs.codes.js';
import { trim } from './transforms.js';

export class CreateStatementDto {
  @ApiProperty({ format: 'uuid', description: 'The invited organisation the need belongs to' })
  @IsUUID('all', { message: 'must be a UUID' })
  organisationId: string;

  @ApiProperty({ example: 'public_procurement', description: 'A theme code from GET /themes' })
  @IsString()
  @MaxLength(60)
  themeCode: string;

  @ApiProperty({ example: 12, minimum: 1, maximum: 100000, description: 'How many people need it; 1 for an employee\'s own need' })
  @IsInt()
  @Min(1)
  @Max(100_000)
  people: number;

  @ApiPropertyOptional({ example: 7, minimum: 0, description: 'Of whom women; women + men + otherGender ≤ people' })
  @IsOptional()
  @IsInt()
  @Min(0)
  women?: number;

  @ApiPropertyOptional({ example: 4, minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  men?: number;

  @ApiPropertyOptional({ example: 1, minimum: 0, description: 'Of whom non-binary or other' })
  @IsOptional()
  @IsInt()
  @Min(0)
  otherGender?: number;

  @ApiProperty({ example: ['study_circle', 'short_course'], description: 'Format codes from GET /formats, most preferred first' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsString({ each: true })
  preferredFormats: string[];

  @ApiPropertyOptional({ example: '0380', description: 'Where it should take place (SCB code); omit with online: true' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'must be a 4-digit SCB municipality code' })
  municipalityCode?: string;

  @ApiPropertyOptional({ example: false, description: 'Online is fine (or preferred)' })
  @IsOptional()
  @IsBoolean()
  online?: boolean;

  @ApiPropertyOptional({ enum: PERIODS, isArray: true, example: ['autumn'], description: 'Time of year: spring Mar–May, summer Jun–Aug, autumn Sep–Nov, winter Dec–Feb' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(PERIODS, { each: true })
  preferredPeriod?: Period[];

  @ApiPropertyOptional({ enum: TIMES_OF_DAY, example: 'morning' })
  @IsOptional()
  @IsIn(TIMES_OF_DAY)
  preferredTimeOfDay?: TimeOfDay;

  @ApiPropertyOptional({ enum: PRIORITIES, example: 'high' })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiPropertyOptional({ example: ['induction_loop'], description: 'Accessibility feature codes the group needs (GET /accessibility-features)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ArrayUnique()
  @IsString({ each: true })
  accessibilityNeeds?: string[];

  @ApiPropertyOptional({ example: 'Helst i samband med vår planeringsdag.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

/** Everything but the organisation can change. */
export class UpdateStatementDto extends PartialType(OmitType(CreateStatementDto, ['organisationId'] as const)) {}

export class StatementQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this organisation\'s statements' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  organisationId?: string;
}

export class StatementDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  roundId: string;

  @ApiProperty({ format: 'uuid' })
  organisationId: string;

  @ApiProperty({ example: 'Returbutiken Ekonomisk Förening' })
  organisationName: string;

  @ApiProperty({ description: 'True for an employee\'s own need' })
  personal: boolean;

  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The employee, for a personal need' })
  personUserId: string | null;

  @ApiProperty({ example: 'public_procurement' })
  themeCode: string;

  @ApiProperty({ example: 12 })
  people: number;

  @ApiProperty({ nullable: true, type: Number, example: 7 })
  women: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 4 })
  men: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 1 })
  otherGender: number | null;

  @ApiProperty({ example: ['study_circle', 'short_course'] })
  preferredFormats: string[];

  @ApiProperty({ nullable: true, type: String, example: '0380' })
  municipalityCode: string | null;

  @ApiProperty({ example: false })
  online: boolean;

  @ApiProperty({ enum: PERIODS, isArray: true, example: ['autumn'] })
  preferredPeriod: Period[];

  @ApiProperty({ enum: TIMES_OF_DAY, nullable: true })
  preferredTimeOfDay: TimeOfDay | null;

  @ApiProperty({ enum: PRIORITIES, nullable: true })
  priority: Priority | null;

  @ApiProperty({ example: ['induction_loop'] })
  accessibilityNeeds: string[];

  @ApiProperty({ nullable: true, type: String })
  comment: string | null;

  @ApiProperty({ example: '2027-02-03T10:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2027-02-03T10:00:00.000Z' })
  updatedAt: string;
}

export class StatementPageDto {
  @ApiProperty({ type: StatementDto, isArray: true })
  items: StatementDto[];

  @ApiProperty({ example: 1 })
  total: number;
}
