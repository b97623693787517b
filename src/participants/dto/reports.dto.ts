import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { MONTH } from './time-report.dto.js';

export class CofinancingQueryDto {
  @ApiPropertyOptional({ example: '2027-01', description: 'Only this month (YYYY-MM)' })
  @IsOptional()
  @Matches(MONTH, { message: 'must be a month as YYYY-MM' })
  month?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';
}

export class ExportFormatQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';
}

export class CofinancingRowDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organisationId: string | null;
  @ApiProperty({ nullable: true, type: String, example: '802412-3456' }) orgNumber: string | null;
  @ApiProperty({ nullable: true, type: String }) organisationName: string | null;
  @ApiProperty({ example: '2027-01' }) month: string;
  @ApiProperty({ example: 12, description: 'Hours of certified reports (co-signed too when the programme asks for it)' }) certifiedHours: number;
  @ApiProperty({ example: 3, description: 'Hours of reports not yet certified (or not co-signed)' }) uncertifiedHours: number;
  @ApiProperty({ example: 3600, nullable: true, type: Number, description: 'certifiedHours × unitCostPerHourSek; null without a unit cost' }) valueSek: number | null;
}

export class CofinancingDto {
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: 300, nullable: true, type: Number }) unitCostPerHourSek: number | null;
  @ApiProperty({ example: false }) cosignRequired: boolean;
  @ApiProperty({ type: [CofinancingRowDto] }) items: CofinancingRowDto[];
  @ApiProperty({ type: CofinancingRowDto, description: 'All organisations and months (organisation and month null/"all")' }) total: CofinancingRowDto;
}

/** A count, or "<5" (fewer than 5 people), or "x" (hidden so that a "<5" cannot be worked out). */
const CELL = { oneOf: [{ type: 'integer' }, { type: 'string', enum: ['<5', 'x'] }] };

export class IndicatorCellDto {
  @ApiProperty({ example: 'woman' }) key: string;
  @ApiProperty({ example: 'Kvinnor' }) label: string;
  @ApiProperty(CELL) count: number | string;
}

export class IndicatorDimensionDto {
  @ApiProperty({ example: 'gender', enum: ['gender', 'ageBand', 'education', 'county', 'municipality', 'disability'] }) dimension: string;
  @ApiProperty({ example: 'Kön' }) title: string;
  @ApiProperty({ type: [IndicatorCellDto] }) cells: IndicatorCellDto[];
}

export class IndicatorsDto {
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: 23, description: 'Participants (exact; the register lists them)' }) participants: number;
  @ApiProperty({ type: [IndicatorDimensionDto], description: 'Each dimension adds up to the participants; cells under 5 are "<5", and where exactly one is, the next smallest is "x"' })
  dimensions: IndicatorDimensionDto[];
}
