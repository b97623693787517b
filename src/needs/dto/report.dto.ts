import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { SuppressedCell } from '../suppression.js';

const CELL_DESCRIPTION = 'A count; "<5" for cells under 5 people; "x" hidden so that a "<5" in the same row cannot be worked out from the total';
const CELL: ApiPropertyOptions = {
  oneOf: [{ type: 'integer' }, { type: 'string', enum: ['<5', 'x'] }],
  description: CELL_DESCRIPTION,
};

export class ReportQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';

  @ApiPropertyOptional({ minimum: 1, maximum: 24, default: 6, description: 'Supply (Q3) counts sessions starting within this many months from now' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24)
  supplyMonths?: number;
}

export class ReportRoundDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Behovsinventering våren 2027' }) title: string;
  @ApiProperty({ example: 'open' }) status: string;
  @ApiProperty({ example: '2027-02-01T07:00:00.000Z' }) opensAt: string;
  @ApiProperty({ example: '2027-03-15T22:59:00.000Z' }) closesAt: string;
}

export class ResponseRateDto {
  @ApiProperty({ example: 120, description: 'Invited organisations' }) invited: number;
  @ApiProperty({ example: 84, description: 'Organisations with a statement or an assessment' }) answered: number;
  @ApiProperty({ example: 80 }) withStatements: number;
  @ApiProperty({ example: 61 }) withAssessment: number;
  @ApiProperty({ example: 0.7, description: 'answered / invited, 3 decimals (0 when nobody is invited)' }) rate: number;
}

export class DemandTotalsDto {
  @ApiProperty({ example: 950 }) people: number;
  @ApiProperty({ example: 210 }) statements: number;
  @ApiProperty({ example: 14, description: 'Employees\' own needs (one person each)' }) personalStatements: number;
}

export class ThemeDemandDto {
  @ApiProperty({ example: 1 }) rank: number;
  @ApiProperty({ example: 'public_procurement' }) themeCode: string;
  @ApiProperty({ example: 'Offentlig upphandling (LOU) och avtal med kommuner' }) nameSv: string;
  @ApiProperty({ example: 'Public procurement (LOU) and contracts with municipalities' }) nameEn: string;
  @ApiProperty({ example: 140 }) people: number;
  @ApiProperty({ example: 31 }) statements: number;
  @ApiProperty({ example: 27 }) organisations: number;
}

export class SplitRowDto {
  @ApiProperty({ nullable: true, type: String, example: 'public_procurement', description: 'null: all themes' }) themeCode: string | null;
  @ApiProperty({ example: '03' }) key: string;
  @ApiProperty({ example: 'Uppsala län' }) label: string;
  @ApiProperty({ example: 48 }) people: number;
}

export class DemandSplitsDto {
  @ApiProperty({ type: SplitRowDto, isArray: true, description: 'By first-preference format (Q4)' }) format: SplitRowDto[];
  @ApiProperty({ type: SplitRowDto, isArray: true }) county: SplitRowDto[];
  @ApiProperty({ type: SplitRowDto, isArray: true }) municipality: SplitRowDto[];
  @ApiProperty({ type: SplitRowDto, isArray: true }) legalForm: SplitRowDto[];
  @ApiProperty({ type: SplitRowDto, isArray: true }) sector: SplitRowDto[];
}

export class GenderRowDto {
  @ApiProperty({ nullable: true, type: String, description: 'null: all themes' }) themeCode: string | null;
  @ApiProperty(CELL) women: SuppressedCell;
  @ApiProperty(CELL) men: SuppressedCell;
  @ApiProperty(CELL) otherGender: SuppressedCell;
  @ApiProperty({ ...CELL, description: `Not stated. ${CELL_DESCRIPTION}` }) unspecified: SuppressedCell;
}

export class ThemeSupplyDto {
  @ApiProperty({ example: 'public_procurement' }) themeCode: string;
  @ApiProperty({ example: 3 }) offerings: number;
  @ApiProperty({ example: 5 }) sessions: number;
  @ApiProperty({ example: 100 }) seats: number;
  @ApiProperty({ example: 62 }) seatsLeft: number;
}

export class DemandVsSupplyDto {
  @ApiProperty({ example: 'public_procurement' }) themeCode: string;
  @ApiProperty({ example: 140 }) people: number;
  @ApiProperty({ example: 62 }) seatsLeft: number;
  @ApiProperty({ example: 78, description: 'people − seatsLeft; negative when supply exceeds demand' }) gap: number;
}

export class SupplyDto {
  @ApiProperty({ example: '2027-02-01T00:00:00.000Z' }) from: string;
  @ApiProperty({ example: '2027-08-01T00:00:00.000Z' }) to: string;
  @ApiProperty({ type: ThemeSupplyDto, isArray: true }) themes: ThemeSupplyDto[];
  @ApiProperty({ type: DemandVsSupplyDto, isArray: true }) demandVsSupply: DemandVsSupplyDto[];
}

export class KeyedCountDto {
  @ApiProperty({ example: 'autumn' }) key: string;
  @ApiProperty({ example: 'Höst (september–november)' }) label: string;
  @ApiProperty({ example: 320, description: 'People (statements) or organisations (assessments)' }) count: number;
}

export class SuppressedKeyedCountDto {
  @ApiProperty({ example: 'induction_loop' }) key: string;
  @ApiProperty({ example: 'Hörslinga' }) label: string;
  @ApiProperty(CELL) count: SuppressedCell;
}

export class OrganisingDto {
  @ApiProperty({ type: KeyedCountDto, isArray: true, description: 'People per preferred time of year' }) periods: KeyedCountDto[];
  @ApiProperty({ type: KeyedCountDto, isArray: true }) timeOfDay: KeyedCountDto[];
  @ApiProperty({ type: KeyedCountDto, isArray: true }) priority: KeyedCountDto[];
  @ApiProperty({ type: KeyedCountDto, isArray: true, description: 'online / in_person' }) place: KeyedCountDto[];
  @ApiProperty({ type: SuppressedKeyedCountDto, isArray: true, description: 'People in groups needing each accessibility feature' })
  accessibilityNeeds: SuppressedKeyedCountDto[];
}

export class ChoiceSummaryDto {
  @ApiProperty({ example: 40, description: 'Organisations that answered this question' }) answered: number;
  @ApiProperty({ type: KeyedCountDto, isArray: true, description: 'Organisations per option' }) options: KeyedCountDto[];
  @ApiProperty({ type: String, isArray: true, description: 'Free-text answers' }) comments: string[];
}

export class GenderEqualitySummaryDto {
  @ApiProperty({ example: 40 }) answered: number;
  @ApiProperty({ type: KeyedCountDto, isArray: true }) hasPlan: KeyedCountDto[];
  @ApiProperty({ example: 12 }) hasTrained: number;
  @ApiProperty({ example: 25 }) wantsTraining: number;
}

export class AccessibilitySummaryDto {
  @ApiProperty({ example: 40 }) answered: number;
  @ApiProperty({ type: KeyedCountDto, isArray: true, description: 'Organisations per knowledge level 1–5' }) levels: KeyedCountDto[];
  @ApiProperty({ nullable: true, type: Number, example: 2.8 }) mean: number | null;
  @ApiProperty({ example: 22 }) wantsTraining: number;
}

export class AssessmentSummaryDto {
  @ApiProperty({ example: 61 }) organisations: number;
  @ApiProperty({ type: ChoiceSummaryDto, description: 'Q5 support structure for social entrepreneurs' }) socialEnterpriseSupport: ChoiceSummaryDto;
  @ApiProperty({ type: GenderEqualitySummaryDto, description: 'Q6' }) genderEquality: GenderEqualitySummaryDto;
  @ApiProperty({ type: AccessibilitySummaryDto, description: 'Q7' }) accessibility: AccessibilitySummaryDto;
  @ApiProperty({ type: ChoiceSummaryDto, description: 'Q8 preferred providers (key = provider id)' }) preferredProviders: ChoiceSummaryDto;
  @ApiProperty({ type: ChoiceSummaryDto, description: 'Q10 follow-up' }) followUp: ChoiceSummaryDto;
  @ApiProperty({ type: ChoiceSummaryDto, description: 'Q11 channels' }) channels: ChoiceSummaryDto;
  @ApiProperty({ type: ChoiceSummaryDto, description: 'Q12 cooperating projects (key = project name as written)' }) cooperation: ChoiceSummaryDto;
}

export class NeedsReportDto {
  @ApiProperty({ type: ReportRoundDto }) round: ReportRoundDto;
  @ApiProperty({ example: '2027-03-16T08:00:00.000Z' }) generatedAt: string;
  @ApiProperty({ type: ResponseRateDto }) responseRate: ResponseRateDto;
  @ApiProperty({ type: DemandTotalsDto }) totals: DemandTotalsDto;
  @ApiProperty({ type: ThemeDemandDto, isArray: true, description: 'Q1, Q2: people per theme, most first' }) themes: ThemeDemandDto[];
  @ApiProperty({ type: DemandSplitsDto }) splits: DemandSplitsDto;
  @ApiProperty({ type: GenderRowDto, isArray: true, description: 'Per theme and in all (themeCode null); small cells suppressed' }) gender: GenderRowDto[];
  @ApiProperty({ type: SupplyDto, description: 'Q3' }) supply: SupplyDto;
  @ApiProperty({ type: OrganisingDto, description: 'Q9' }) organising: OrganisingDto;
  @ApiProperty({ type: AssessmentSummaryDto }) assessments: AssessmentSummaryDto;
}

export class DemandCellDto {
  @ApiProperty({ example: 'public_procurement' }) themeCode: string;
  @ApiProperty({ example: '03' }) countyCode: string;
  @ApiProperty({ example: 'Uppsala län' }) countyName: string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['<5'] }], example: 23 } as ApiPropertyOptions) people: number | '<5';
}

export class DemandViewDto {
  @ApiProperty({ type: ReportRoundDto }) round: ReportRoundDto;
  @ApiProperty({ type: DemandCellDto, isArray: true, description: 'People per theme and county; cells under 5 are "<5"; no organisation names, no totals' })
  cells: DemandCellDto[];
}

export class ThemeChangeDto {
  @ApiProperty({ example: 'public_procurement' }) themeCode: string;
  @ApiProperty({ example: 'Offentlig upphandling (LOU) och avtal med kommuner' }) nameSv: string;
  @ApiProperty({ example: 120 }) peopleA: number;
  @ApiProperty({ example: 140 }) peopleB: number;
  @ApiProperty({ example: 20 }) change: number;
  @ApiProperty({ nullable: true, type: Number, example: 0.167, description: 'change / peopleA; null when A had none' }) changeRate: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 2 }) rankA: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 1 }) rankB: number | null;
}

export class RoundComparisonDto {
  @ApiProperty({ type: ReportRoundDto }) a: ReportRoundDto;
  @ApiProperty({ type: ReportRoundDto }) b: ReportRoundDto;
  @ApiProperty({ example: 900 }) totalA: number;
  @ApiProperty({ example: 950 }) totalB: number;
  @ApiProperty({ type: ThemeChangeDto, isArray: true, description: 'Largest increase first' }) themes: ThemeChangeDto[];
}
