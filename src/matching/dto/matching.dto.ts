import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination.js';

export class RecommendationsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: 'public_procurement', description: 'Only needs of this theme (a code from GET /themes)' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_]{1,60}$/, { message: 'must be a theme code' })
  themeCode?: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'same_municipality', description: 'Stable code of the reason' })
  code: string;

  @ApiProperty({ example: 'Samma kommun' })
  sv: string;

  @ApiProperty({ example: 'Same municipality' })
  en: string;
}

export class MatchedOfferingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Offentlig upphandling för sociala företag' }) title: string;
  @ApiProperty({ format: 'uuid' }) providerId: string;
  @ApiProperty({ example: 'Studieförbundet Vuxenskolan Uppsala' }) providerName: string;
  @ApiProperty({ example: ['public_procurement'], type: [String] }) themeCodes: string[];
  @ApiProperty({ example: 'short_course' }) format: string;
  @ApiProperty({ example: 'sv' }) language: string;
  @ApiProperty({ example: ['social_economy'], type: [String] }) targetGroups: string[];
  @ApiProperty({ example: ['induction_loop', 'step_free_access'], type: [String] }) accessibilityFeatures: string[];
  @ApiProperty({ example: 0 }) priceSek: number;
}

export class MatchedSessionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2027-03-10T08:00:00.000Z' }) startsAt: string;
  @ApiProperty({ example: '2027-03-10T14:00:00.000Z' }) endsAt: string;
  @ApiProperty({ nullable: true, type: String, example: '0380' }) municipalityCode: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Uppsala' }) municipalityName: string | null;
  @ApiProperty({ nullable: true, type: String, example: '03' }) countyCode: string | null;
  @ApiProperty({ example: false }) online: boolean;
  @ApiProperty({ example: 20 }) capacity: number;
  @ApiProperty({ example: 4, description: '0: full; a waitlist takes people' }) seatsLeft: number;
  @ApiProperty({ enum: ['offer', 'auto'], example: 'offer' }) waitlistMode: string;
  @ApiProperty({ example: '2027-03-09T08:00:00.000Z' }) bookingClosesAt: string;
  @ApiProperty({ example: false }) requiresApproval: boolean;
}

export class AnsweredStatementDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) roundId: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ example: 'public_procurement' }) themeCode: string;
  @ApiProperty({ example: false, description: 'The person\'s own need (else the organisation\'s)' }) personal: boolean;
}

export class RecommendationDto {
  @ApiProperty({ type: MatchedOfferingDto }) offering: MatchedOfferingDto;
  @ApiProperty({ type: MatchedSessionDto }) session: MatchedSessionDto;
  @ApiProperty({ example: 88, minimum: 0, maximum: 100, description: 'Fit with the best-answered statement (the scoring model)' }) score: number;
  @ApiProperty({ type: ReasonDto, isArray: true, description: 'Why it fits, in Swedish and English' }) reasons: ReasonDto[];
  @ApiProperty({ type: AnsweredStatementDto, isArray: true, description: 'The statements it answers, best fit first' }) statements: AnsweredStatementDto[];
}

export class RecommendationPageDto {
  @ApiProperty({ type: RecommendationDto, isArray: true }) items: RecommendationDto[];
  @ApiProperty({ example: 42 }) total: number;
}

export class StatementMatchDto {
  @ApiProperty({ type: MatchedOfferingDto }) offering: MatchedOfferingDto;
  @ApiProperty({ type: MatchedSessionDto }) session: MatchedSessionDto;
  @ApiProperty({ example: 74, minimum: 0, maximum: 100 }) score: number;
  @ApiProperty({ type: ReasonDto, isArray: true }) reasons: ReasonDto[];
}

export class ExcludedMatchDto {
  @ApiProperty({ type: MatchedOfferingDto }) offering: MatchedOfferingDto;
  @ApiProperty({ type: MatchedSessionDto }) session: MatchedSessionDto;
  @ApiProperty({ type: ReasonDto, description: 'Why it is excluded, e.g. "Saknar: Hörslinga"' }) reason: ReasonDto;
}

export class ExcludedPageDto {
  @ApiProperty({ type: ExcludedMatchDto, isArray: true }) items: ExcludedMatchDto[];
  @ApiProperty({ example: 3 }) total: number;
}

export class StatementMatchesDto {
  @ApiProperty({ type: AnsweredStatementDto }) statement: AnsweredStatementDto;
  @ApiProperty({ type: StatementMatchDto, isArray: true, description: 'Bookable sessions of the theme (or a related one), best fit first' }) items: StatementMatchDto[];
  @ApiProperty({ example: 12 }) total: number;
  @ApiProperty({ type: ExcludedPageDto, description: 'Sessions of the theme the model excludes, best would-be fit first (same limit and offset)' })
  excluded: ExcludedPageDto;
}
