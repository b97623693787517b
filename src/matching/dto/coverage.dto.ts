import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type { SuppressedCell } from '../../needs/suppression.js';

export class CoverageQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';
}

export class CoverageRoundDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Behovsinventering våren 2027' }) title: string;
  @ApiProperty({ example: 'open' }) status: string;
}

export class BestOfferingDto {
  @ApiProperty({ format: 'uuid' }) offeringId: string;
  @ApiProperty({ example: 'Offentlig upphandling för sociala företag' }) title: string;
  @ApiProperty({ example: 'Studieförbundet Vuxenskolan Uppsala' }) providerName: string;
  @ApiProperty({ example: 79, description: 'The model\'s score against the cell (its theme, county and most wanted formats)' }) score: number;
}

export class CoverageCellDto {
  @ApiProperty({ example: 'public_procurement' }) themeCode: string;
  @ApiProperty({ example: 'Offentlig upphandling (LOU) och avtal med kommuner' }) themeNameSv: string;
  @ApiProperty({ example: 'Public procurement (LOU) and contracts with municipalities' }) themeNameEn: string;
  @ApiProperty({ example: '03' }) countyCode: string;
  @ApiProperty({ example: 'Uppsala län' }) countyName: string;
  @ApiProperty({ example: 48, description: 'People in need (exact; coordinators only)' }) people: number;
  @ApiProperty({
    example: 30,
    description:
      'Free seats in upcoming scheduled sessions of published offerings with the theme: in-person sessions in the county plus ALL online sessions of the theme, ' +
      'which count in full for every county (so seats summed over counties count online seats more than once)',
  })
  seats: number;
  @ApiProperty({ example: 20, description: 'Of which in-person in the county' }) localSeats: number;
  @ApiProperty({ example: 10, description: 'Of which online (the same number in every county of the theme)' }) onlineSeats: number;
  @ApiProperty({ example: 3, description: 'Upcoming sessions behind the seats (full ones included)' }) sessions: number;
  @ApiProperty({ example: 18, description: 'people − seats; negative: more seats than people' }) gap: number;
  @ApiProperty({ example: false, description: 'Demand and no free seat: listed first' }) noSupply: boolean;
  @ApiProperty({ type: BestOfferingDto, isArray: true, description: 'Top 3 offerings by fit' }) best: BestOfferingDto[];
}

export class CoverageReportDto {
  @ApiProperty({ type: CoverageRoundDto }) round: CoverageRoundDto;
  @ApiProperty({ example: '2027-02-20T10:00:00.000Z' }) generatedAt: string;
  @ApiProperty({ type: CoverageCellDto, isArray: true, description: 'Demand without supply first, then the largest gap' }) cells: CoverageCellDto[];
}

export class ProviderDemandQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A needs round; default: the most recently opened round' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  roundId?: string;
}

export class ProviderDemandCellDto {
  @ApiProperty({ example: 'public_procurement' }) themeCode: string;
  @ApiProperty({ example: 'Offentlig upphandling (LOU) och avtal med kommuner' }) themeNameSv: string;
  @ApiProperty({ example: '05' }) countyCode: string;
  @ApiProperty({ example: 'Östergötlands län' }) countyName: string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['<5'] }], example: '<5', description: 'People in need; "<5" under 5' })
  people: SuppressedCell;
  @ApiProperty({ example: true, description: 'The provider has a published offering with this theme' }) offeredByProvider: boolean;
  @ApiProperty({ example: 0, description: 'Free seats all providers offer for the theme in the county or online (upcoming sessions)' }) seats: number;
  @ApiProperty({ example: true, description: 'No free seat: where a new offering is needed' }) noSupply: boolean;
}

export class ProviderDemandDto {
  @ApiProperty({ type: CoverageRoundDto }) round: CoverageRoundDto;
  @ApiProperty({ format: 'uuid' }) providerId: string;
  @ApiProperty({ example: ['public_procurement', 'digital_skills'], type: [String], description: 'Themes of the provider\'s published offerings' })
  themesOffered: string[];
  @ApiProperty({
    type: ProviderDemandCellDto,
    isArray: true,
    description: 'Every theme with demand, per county: the provider\'s themes first, then the others; no organisation names, no totals',
  })
  cells: ProviderDemandCellDto[];
}
