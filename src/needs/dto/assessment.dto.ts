import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CHANNELS, FOLLOW_UP_METHODS, PLAN_STATUSES, type PlanStatus, SUPPORT_NEEDS } from '../needs.codes.js';
import { trim } from './transforms.js';

/** Q6. */
export class GenderEqualityDto {
  @ApiProperty({ enum: PLAN_STATUSES, example: 'in_progress', description: 'Does the organisation have a gender-equality plan?' })
  @IsIn(PLAN_STATUSES)
  hasPlan: PlanStatus;

  @ApiProperty({ example: false, description: 'Have staff been trained in gender equality?' })
  @IsBoolean()
  hasTrained: boolean;

  @ApiProperty({ example: true, description: 'Does the organisation want training in gender equality?' })
  @IsBoolean()
  wantsTraining: boolean;
}

/** Q7. */
export class AccessibilityKnowledgeDto {
  @ApiProperty({ example: 3, minimum: 1, maximum: 5, description: 'Knowledge of accessibility: 1 very little … 5 very good' })
  @IsInt()
  @Min(1)
  @Max(5)
  knowledge: number;

  @ApiProperty({ example: true })
  @IsBoolean()
  wantsTraining: boolean;
}

/** Q5. */
export class SocialEnterpriseSupportDto {
  @ApiProperty({ enum: SUPPORT_NEEDS, isArray: true, example: ['mentoring', 'financing'] })
  @IsArray()
  @ArrayUnique()
  @IsIn(SUPPORT_NEEDS, { each: true })
  needs: string[];

  @ApiPropertyOptional({ example: 'Vi vill starta ett arbetsintegrerande företag inom catering.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

/** Q8. */
export class PreferredProvidersDto {
  @ApiProperty({ type: String, isArray: true, format: 'uuid', example: [], description: 'Provider ids from the catalogue' })
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each must be a UUID' })
  providerIds: string[];

  @ApiPropertyOptional({ example: 'Coompanion Uppsala, lokala föreläsare' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  other?: string;
}

/** Q10. */
export class FollowUpDto {
  @ApiProperty({ enum: FOLLOW_UP_METHODS, isArray: true, example: ['survey_after_course', 'manager_follow_up'] })
  @IsArray()
  @ArrayUnique()
  @IsIn(FOLLOW_UP_METHODS, { each: true })
  methods: string[];

  @ApiPropertyOptional({ example: 'Kort enkät, gärna på lättläst svenska.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

/** Q11. */
export class ChannelsDto {
  @ApiProperty({ enum: CHANNELS, isArray: true, example: ['email', 'umbrella_organisation'] })
  @IsArray()
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  codes: string[];

  @ApiPropertyOptional({ example: 'Facebookgruppen för sociala företag i Uppsala' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  other?: string;
}

/** Q12. */
export class CooperationDto {
  @ApiProperty({ type: String, isArray: true, example: ['Coompanion Östra Mellansverige', 'ESF-projektet Socialt entreprenörskap'] })
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  projects: string[];

  @ApiPropertyOptional({ example: 'Vi samverkar med kommunens arbetsmarknadsenhet.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

/** The organisation's answers; each section may be left out (unanswered). PUT replaces all answers. */
export class PutAssessmentDto {
  @ApiPropertyOptional({ type: GenderEqualityDto, description: 'Q6' })
  @IsOptional()
  @ValidateNested()
  @Type(() => GenderEqualityDto)
  genderEquality?: GenderEqualityDto;

  @ApiPropertyOptional({ type: AccessibilityKnowledgeDto, description: 'Q7' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AccessibilityKnowledgeDto)
  accessibility?: AccessibilityKnowledgeDto;

  @ApiPropertyOptional({ type: SocialEnterpriseSupportDto, description: 'Q5' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SocialEnterpriseSupportDto)
  socialEnterpriseSupport?: SocialEnterpriseSupportDto;

  @ApiPropertyOptional({ type: PreferredProvidersDto, description: 'Q8' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PreferredProvidersDto)
  preferredProviders?: PreferredProvidersDto;

  @ApiPropertyOptional({ type: FollowUpDto, description: 'Q10' })
  @IsOptional()
  @ValidateNested()
  @Type(() => FollowUpDto)
  followUp?: FollowUpDto;

  @ApiPropertyOptional({ type: ChannelsDto, description: 'Q11' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelsDto)
  channels?: ChannelsDto;

  @ApiPropertyOptional({ type: CooperationDto, description: 'Q12' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CooperationDto)
  cooperation?: CooperationDto;
}

export class AssessmentDto {
  @ApiProperty({ format: 'uuid' })
  roundId: string;

  @ApiProperty({ format: 'uuid' })
  organisationId: string;

  @ApiProperty({ type: GenderEqualityDto, nullable: true })
  genderEquality: GenderEqualityDto | null;

  @ApiProperty({ type: AccessibilityKnowledgeDto, nullable: true })
  accessibility: AccessibilityKnowledgeDto | null;

  @ApiProperty({ type: SocialEnterpriseSupportDto })
  socialEnterpriseSupport: SocialEnterpriseSupportDto;

  @ApiProperty({ type: PreferredProvidersDto })
  preferredProviders: PreferredProvidersDto;

  @ApiProperty({ type: FollowUpDto })
  followUp: FollowUpDto;

  @ApiProperty({ type: ChannelsDto })
  channels: ChannelsDto;

  @ApiProperty({ type: CooperationDto })
  cooperation: CooperationDto;

  @ApiProperty({ example: '2027-02-03T10:00:00.000Z' })
  updatedAt: string;
}
