import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { TARGET_GROUPS } from '../../catalogue/offering.entity.js';
import { INTERVENTION_STATUSES, type InterventionStatus } from '../programme.entity.js';
import { DATE_ONLY } from './programme.dto.js';
import { trim } from '../../common/transforms.js';


export class CreateInterventionDto {
  @ApiPropertyOptional({ example: 'Offentlig upphandling – Uppsala län', description: 'Default: the theme\'s name and the counties' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title?: string;

  @ApiProperty({ example: 'public_procurement', description: 'A theme code (GET /themes)' })
  @IsString()
  @MaxLength(60)
  themeCode: string;

  @ApiProperty({ enum: TARGET_GROUPS, isArray: true, example: ['social_economy'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(TARGET_GROUPS, { each: true })
  targetGroups: string[];

  @ApiProperty({ example: 'study_circle', description: 'A format code (GET /formats)' })
  @IsString()
  @MaxLength(60)
  format: string;

  @ApiProperty({ example: ['03'], description: 'County codes (län) of GET /municipalities' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ArrayUnique()
  @Matches(/^\d{2}$/, { each: true, message: 'each must be a two-digit county code' })
  counties: string[];

  @ApiProperty({ example: 40, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  plannedParticipants: number;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 24, minimum: 0, description: 'Of whom women; plannedWomen + plannedMen ≤ plannedParticipants' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  plannedWomen?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 16, minimum: 0 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  plannedMen?: number | null;

  @ApiProperty({ example: 12, description: 'Hours per participant (> 0, one decimal)' })
  @IsNumber({ maxDecimalPlaces: 1 })
  @Min(0.1)
  @Max(10_000)
  hoursPerParticipant: number;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A provider from the catalogue; null or left out: to procure' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUUID('all', { message: 'must be a UUID' })
  providerId?: string | null;

  @ApiProperty({ example: 72_000, minimum: 0, description: 'Whole kronor' })
  @IsInt()
  @Min(0)
  @Max(1e12)
  costSek: number;

  @ApiProperty({ example: '2027-09-01' })
  @Matches(DATE_ONLY, { message: 'must be a date as YYYY-MM-DD' })
  startsOn: string;

  @ApiProperty({ example: '2027-12-15', description: 'Not before startsOn' })
  @Matches(DATE_ONLY, { message: 'must be a date as YYYY-MM-DD' })
  endsOn: string;
}

export class UpdateInterventionDto extends PartialType(CreateInterventionDto) {}

export class LinkOfferingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  offeringId: string;
}

export class DraftFromRoundDto {
  @ApiProperty({ format: 'uuid', description: 'The needs round whose coverage is drafted from' })
  @IsUUID('all', { message: 'must be a UUID' })
  roundId: string;
}

export class ExplanationCellDto {
  @ApiProperty({ example: 'public_procurement' }) themeCode: string;
  @ApiProperty({ example: '03' }) countyCode: string;
  @ApiProperty({ example: 'Uppsala län' }) countyName: string;
  @ApiProperty({ example: 48, description: 'People in need in the cell (coverage)' }) people: number;
  @ApiProperty({ example: 8, description: 'Free seats already offered there (coverage: in the county plus online)' }) seats: number;
  @ApiProperty({ example: 40, description: 'people − seats' }) gap: number;
}

export class ExplanationStatementsDto {
  @ApiProperty({ example: 6 }) count: number;
  @ApiProperty({ example: 48 }) people: number;
  @ApiProperty({ example: 30 }) women: number;
  @ApiProperty({ example: 14 }) men: number;
  @ApiProperty({ example: 1 }) otherGender: number;
  @ApiProperty({ example: 3, description: 'People whose gender was not stated' }) unspecified: number;
  @ApiProperty({ type: [String], description: 'Statement ids, largest first (at most 20)' }) ids: string[];
  @ApiProperty({ example: false, description: 'More statements than ids listed' }) idsTruncated: boolean;
}

export class FormatPreferenceDto {
  @ApiProperty({ example: 'study_circle' }) format: string;
  @ApiProperty({ example: 30, description: 'People who chose it first' }) firstChoice: number;
  @ApiProperty({ example: 41, description: 'People who listed it at all' }) listed: number;
}

export class SuggestedOfferingDto {
  @ApiProperty({ format: 'uuid' }) offeringId: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'uuid' }) providerId: string;
  @ApiProperty() providerName: string;
  @ApiProperty({ example: 79, description: 'Matching\'s score against the cell' }) score: number;
}

export class ExplanationCostDto {
  @ApiProperty({ example: 12 }) hoursPerParticipant: number;
  @ApiProperty({ example: 150 }) costPerParticipantHourSek: number;
  @ApiProperty({ example: '40 deltagare × 12 timmar × 150 kr = 72 000 kr' }) formula: string;
}

export class ExplanationDto {
  @ApiProperty({ format: 'uuid' }) roundId: string;
  @ApiProperty({ type: ExplanationCellDto, description: 'The coverage cell used' }) cell: ExplanationCellDto;
  @ApiProperty({ type: ExplanationStatementsDto, description: 'The statements behind the cell' }) statements: ExplanationStatementsDto;
  @ApiProperty({ type: FormatPreferenceDto, isArray: true, description: 'Formats, most preferred first; the first is the proposal\'s form' }) formats: FormatPreferenceDto[];
  @ApiProperty({ type: SuggestedOfferingDto, nullable: true, description: 'Matching\'s best offering for the cell; null: to procure' }) suggestion: SuggestedOfferingDto | null;
  @ApiProperty({ type: ExplanationCostDto }) cost: ExplanationCostDto;
  @ApiProperty({ description: 'The same in Swedish, one paragraph' }) text: string;
}

export class InterventionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: 'Offentlig upphandling – Uppsala län' }) title: string;
  @ApiProperty({ example: 'public_procurement' }) themeCode: string;
  @ApiProperty({ example: 'Offentlig upphandling (LOU) och avtal med kommuner' }) themeNameSv: string;
  @ApiProperty({ example: ['social_economy'], type: [String] }) targetGroups: string[];
  @ApiProperty({ example: 'study_circle' }) format: string;
  @ApiProperty({ example: ['03'], type: [String] }) counties: string[];
  @ApiProperty({ example: 40 }) plannedParticipants: number;
  @ApiProperty({ example: 24, nullable: true, type: Number }) plannedWomen: number | null;
  @ApiProperty({ example: 16, nullable: true, type: Number }) plannedMen: number | null;
  @ApiProperty({ example: 12 }) hoursPerParticipant: number;
  @ApiProperty({ example: 480, description: 'plannedParticipants × hoursPerParticipant' }) plannedParticipantHours: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) providerId: string | null;
  @ApiProperty({ example: 'Studieförbundet Vuxenskolan', nullable: true, type: String }) providerName: string | null;
  @ApiProperty({ example: false, description: 'No provider yet: to procure' }) toProcure: boolean;
  @ApiProperty({ example: 72_000 }) costSek: number;
  @ApiProperty({ example: '2027-09-01' }) startsOn: string;
  @ApiProperty({ example: '2027-12-15' }) endsOn: string;
  @ApiProperty({ enum: INTERVENTION_STATUSES }) status: InterventionStatus;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The needs round it was drafted from' }) sourceRoundId: string | null;
  @ApiProperty({ type: ExplanationDto, nullable: true, description: 'Drafted proposals: where the numbers come from' }) explanation: ExplanationDto | null;
  @ApiProperty({ type: [String], description: 'Linked offerings (their sessions deliver it)' }) offeringIds: string[];
  @ApiProperty({ nullable: true, type: String }) approvedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelledAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class InterventionPageDto {
  @ApiProperty({ type: InterventionDto, isArray: true }) items: InterventionDto[];
  @ApiProperty({ example: 12 }) total: number;
}

export class DraftResultDto {
  @ApiProperty({ type: InterventionDto, isArray: true }) items: InterventionDto[];
  @ApiProperty({ example: 12 }) total: number;
  @ApiProperty({ example: true, description: 'false: this programme was already drafted from the round; the proposals of that run (those not deleted since) are returned with 200' })
  created: boolean;
}
