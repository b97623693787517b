import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';

export class ImportQueryDto {
  @ApiPropertyOptional({ default: true, description: 'true (the default): report what would happen and write nothing' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  dryRun: boolean = true;
}

export class ImportTemplateQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'xlsx'], default: 'xlsx' })
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format: 'csv' | 'xlsx' = 'xlsx';
}

export class ImportRowDto {
  @ApiProperty({ example: 2, description: 'The row in the file (the header is row 1)' })
  row: number;

  @ApiProperty({ nullable: true, type: String, example: 'SV-UPH-01' })
  courseCode: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  startsAt: string | null;

  @ApiProperty({ enum: ['created', 'updated', 'rejected'], description: 'created: a new session; updated: the course\'s session at that start, found again' })
  result: 'created' | 'updated' | 'rejected';

  @ApiProperty({ enum: ['created', 'updated'], nullable: true, type: String, description: 'What happens to the row\'s course (offering)' })
  offering: 'created' | 'updated' | null;

  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'Once written, or when the course exists' })
  offeringId: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'Once written, or when the session exists' })
  sessionId: string | null;

  @ApiProperty({ type: [String], example: ['capacity ska vara ett heltal från 1 till 10000'], description: 'Why the row is rejected, in Swedish' })
  reasons: string[];
}

export class ImportSummaryDto {
  @ApiProperty({ example: 480 })
  created: number;

  @ApiProperty({ example: 20 })
  updated: number;

  @ApiProperty({ example: 0 })
  rejected: number;
}

export class ImportReportDto {
  @ApiProperty()
  dryRun: boolean;

  @ApiProperty({ description: 'true when every row was written (in one transaction)' })
  written: boolean;

  @ApiProperty({ type: ImportSummaryDto })
  summary: ImportSummaryDto;

  @ApiProperty({ type: [ImportRowDto] })
  rows: ImportRowDto[];
}
