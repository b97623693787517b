import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const PLAN_FORMATS = ['json', 'xlsx', 'html', 'pdf'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export class ProgrammePlanQueryDto {
  @ApiPropertyOptional({ enum: PLAN_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(PLAN_FORMATS)
  format?: PlanFormat;
}

const CELL = { oneOf: [{ type: 'integer' }, { type: 'string', enum: ['<5', 'x'] }] };
type Cell = number | '<5' | 'x';

/** One table of a part of the document, as the xlsx sheet, the HTML page and the PDF show it. */
export class ProgrammePlanTableDto {
  @ApiProperty({ example: 'Insatser' }) caption: string;
  @ApiProperty({ type: [String] }) headers: string[];
  @ApiProperty({ type: 'array', items: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }] } } }) rows: (string | number)[][];
}

/** One of the five parts, in Swedish. */
export class ProgrammePlanPartDto {
  @ApiProperty({ example: 'interventions', enum: ['interventions', 'finance', 'genderEquality', 'accessibility', 'marketing'] }) key: string;
  @ApiProperty({ example: '1. Insatser' }) title: string;
  @ApiProperty({ type: [String], description: 'Paragraphs before the tables' }) text: string[];
  @ApiProperty({ type: ProgrammePlanTableDto, isArray: true }) tables: ProgrammePlanTableDto[];
}

export class ProgrammePlanInterventionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [String] }) targetGroups: string[];
  @ApiProperty() themeCode: string;
  @ApiProperty() themeSv: string;
  @ApiProperty() format: string;
  @ApiProperty() formatSv: string;
  @ApiProperty({ type: [String] }) counties: string[];
  @ApiProperty() plannedParticipants: number;
  @ApiProperty({ nullable: true, type: Number }) plannedWomen: number | null;
  @ApiProperty({ nullable: true, type: Number }) plannedMen: number | null;
  @ApiProperty() hoursPerParticipant: number;
  @ApiProperty() participantHours: number;
  @ApiProperty({ description: 'Provider name, or "Upphandlas" (to procure)' }) provider: string;
  @ApiProperty() startsOn: string;
  @ApiProperty() endsOn: string;
  @ApiProperty() costSek: number;
  @ApiProperty({ description: 'Planned participant hours × the programme\'s unit cost' }) cofinancingSek: number;
  @ApiProperty() status: string;
  @ApiProperty({ ...CELL, description: 'Attended women (suppressed)' }) attendedWomen: Cell;
  @ApiProperty({ ...CELL, description: 'Attended men (suppressed)' }) attendedMen: Cell;
  @ApiProperty({ nullable: true, type: Number, description: 'Share of women among the people in the statements behind it (drafted ones)' }) statementsWomenShare: number | null;
  @ApiProperty({ nullable: true, type: Number }) statementsMenShare: number | null;
}

export class ProgrammePlanTotalsDto {
  @ApiProperty() budgetSek: number;
  @ApiProperty() costSek: number;
  @ApiProperty({ description: 'budget − planned cost' }) remainingSek: number;
  @ApiProperty() participants: number;
  @ApiProperty() participantHours: number;
  @ApiProperty({ nullable: true, type: Number }) unitCostPerHourSek: number | null;
  @ApiProperty({ description: 'participantHours × unitCostPerHourSek (0 without a unit cost)' }) cofinancingSek: number;
}

export class ProgrammePlanDto {
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty() title: string;
  @ApiProperty() period: string;
  @ApiProperty() fundingSourceSv: string;
  @ApiProperty({ nullable: true, type: String, description: 'The needs round the programme was last drafted from' }) roundId: string | null;
  @ApiProperty({ nullable: true, type: String }) roundTitle: string | null;
  @ApiProperty() generatedAt: string;
  @ApiProperty({ type: ProgrammePlanInterventionDto, isArray: true, description: 'Proposed and approved interventions (cancelled ones are left out)' }) interventions: ProgrammePlanInterventionDto[];
  @ApiProperty({ type: ProgrammePlanTotalsDto }) totals: ProgrammePlanTotalsDto;
  @ApiProperty({ type: ProgrammePlanPartDto, isArray: true, description: 'The five parts, as the xlsx sheets, the HTML page and the PDF show them' }) parts: ProgrammePlanPartDto[];
}
