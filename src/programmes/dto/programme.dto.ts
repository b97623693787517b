import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { FUNDING_SOURCES, type FundingSource } from '../programme.entity.js';
import { trim } from '../../common/transforms.js';

export const DATE_ONLY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class CreateProgrammeDto {
  @ApiProperty({ example: 'Kompetenslyft Östra Mellansverige 2027–2029' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: '2027-03-01', description: 'First day (YYYY-MM-DD)' })
  @Matches(DATE_ONLY, { message: 'must be a date as YYYY-MM-DD' })
  startsOn: string;

  @ApiProperty({ example: '2029-02-28', description: 'Last day (YYYY-MM-DD), not before startsOn' })
  @Matches(DATE_ONLY, { message: 'must be a date as YYYY-MM-DD' })
  endsOn: string;

  @ApiProperty({ enum: FUNDING_SOURCES, example: 'esf_plus' })
  @IsIn(FUNDING_SOURCES)
  fundingSource: FundingSource;

  @ApiProperty({ example: 12_000_000, minimum: 0, description: 'Whole kronor' })
  @IsInt()
  @Min(0)
  @Max(1e12)
  budgetSek: number;

  @ApiPropertyOptional({ example: 350, minimum: 0, description: 'Value of one participant hour (co-financing), SEK, up to 2 decimals' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100_000)
  unitCostPerHourSek?: number;

  @ApiPropertyOptional({ example: true, default: false, description: 'ESF+ participant reporting applies' })
  @IsOptional()
  @IsBoolean()
  esfReporting?: boolean;

  @ApiPropertyOptional({ example: false, default: false, description: 'Employers co-sign participants\' time reports' })
  @IsOptional()
  @IsBoolean()
  timeCosign?: boolean;

  @ApiPropertyOptional({ example: 2030, minimum: 2000, maximum: 2100, description: 'Year of the funder\'s final payment (retention runs from it)' })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  finalPaymentYear?: number;
}

export class UpdateProgrammeDto extends PartialType(CreateProgrammeDto) {}

export class ProgrammeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Kompetenslyft Östra Mellansverige 2027–2029' }) title: string;
  @ApiProperty({ example: '2027-03-01' }) startsOn: string;
  @ApiProperty({ example: '2029-02-28' }) endsOn: string;
  @ApiProperty({ enum: FUNDING_SOURCES }) fundingSource: FundingSource;
  @ApiProperty({ example: 12_000_000 }) budgetSek: number;
  @ApiProperty({ example: 350, nullable: true, type: Number }) unitCostPerHourSek: number | null;
  @ApiProperty({ example: true }) esfReporting: boolean;
  @ApiProperty({ example: false }) timeCosign: boolean;
  @ApiProperty({ example: 2030, nullable: true, type: Number }) finalPaymentYear: number | null;
  @ApiProperty({ example: 12, description: 'Interventions you may see (all for coordinators)' }) interventions: number;
  @ApiProperty({ example: '2027-02-20T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2027-02-20T10:00:00.000Z' }) updatedAt: string;
}

export class ProgrammePageDto {
  @ApiProperty({ type: ProgrammeDto, isArray: true }) items: ProgrammeDto[];
  @ApiProperty({ example: 1 }) total: number;
}
