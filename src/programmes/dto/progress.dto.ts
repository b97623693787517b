import { ApiProperty } from '@nestjs/swagger';
import { INTERVENTION_STATUSES, type InterventionStatus } from '../programme.entity.js';
import type { SuppressedCell } from '../../needs/suppression.js';

const CELL = { oneOf: [{ type: 'integer' }, { type: 'string', enum: ['<5', 'x'] }], description: 'Under 5: "<5"; "x" hides a cell that would reveal a "<5" one from the total' };

export class GenderCellsDto {
  @ApiProperty(CELL) women: SuppressedCell;
  @ApiProperty(CELL) men: SuppressedCell;
  @ApiProperty(CELL) otherGender: SuppressedCell;
  @ApiProperty(CELL) unspecified: SuppressedCell;
}

export class PlannedDto {
  @ApiProperty({ example: 40 }) participants: number;
  @ApiProperty({ example: 24, nullable: true, type: Number }) women: number | null;
  @ApiProperty({ example: 16, nullable: true, type: Number }) men: number | null;
  @ApiProperty({ example: 480 }) participantHours: number;
  @ApiProperty({ example: 72_000 }) costSek: number;
}

export class CountDto {
  @ApiProperty({ example: 12, description: 'People (exact)' }) total: number;
  @ApiProperty({ type: GenderCellsDto, description: 'By the gender in their profile, small cells suppressed' }) byGender: GenderCellsDto;
}

export class EvaluationProgressDto {
  @ApiProperty({ example: 20, description: 'Evaluation invitations sent for the linked offerings' }) invited: number;
  @ApiProperty({ example: 11 }) responses: number;
  @ApiProperty({ example: 0.55, nullable: true, type: Number }) responseRate: number | null;
  @ApiProperty({ example: 'satisfaction', description: 'The overall question (PROGRAMME_OVERALL_QUESTION_KEY)' }) overallQuestion: string;
  @ApiProperty({ example: 11 }) overallAnswers: number;
  @ApiProperty({ example: 4.2, nullable: true, type: Number, description: 'Mean of the overall question; null under 5 answers' }) overallMean: number | null;
}

export class DeviationDto {
  @ApiProperty({ example: -28, description: 'attended − planned participants' }) participants: number;
  @ApiProperty({ example: -0.7, nullable: true, type: Number, description: 'As a share of the plan (null when the plan is 0)' }) participantsRate: number | null;
  @ApiProperty({ example: -300, description: 'participant hours delivered − planned' }) participantHours: number;
  @ApiProperty({ example: -0.625, nullable: true, type: Number }) participantHoursRate: number | null;
  @ApiProperty({ example: -45_000, description: 'cost to date − planned cost' }) costSek: number;
}

export class ProgressFiguresDto {
  @ApiProperty({ type: PlannedDto }) planned: PlannedDto;
  @ApiProperty({ type: CountDto }) booked: CountDto;
  @ApiProperty({ type: CountDto }) attended: CountDto;
  @ApiProperty({ example: 180, description: 'Participant hours delivered: the hours of the sessions each person attended' }) hoursDelivered: number;
  @ApiProperty({ example: 3, description: 'Sessions of linked offerings that have ended and were not cancelled' }) sessionsHeld: number;
  @ApiProperty({ example: 4, description: 'Sessions of linked offerings, not cancelled' }) sessionsPlanned: number;
  @ApiProperty({ example: 0.55, nullable: true, type: Number }) evaluationResponseRate: number | null;
  @ApiProperty({ type: EvaluationProgressDto }) evaluation: EvaluationProgressDto;
  @ApiProperty({ example: 27_000, description: 'Cost to date by the plan: hours delivered × planned cost per participant hour' }) costToDateSek: number;
  @ApiProperty({ type: DeviationDto }) deviation: DeviationDto;
}

export class InterventionProgressDto extends ProgressFiguresDto {
  @ApiProperty({ format: 'uuid' }) interventionId: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: INTERVENTION_STATUSES }) status: InterventionStatus;
  @ApiProperty({ type: [String] }) offeringIds: string[];
}

export class ProgressDto {
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty() generatedAt: string;
  @ApiProperty({ type: InterventionProgressDto, isArray: true, description: 'Every intervention you may see, cancelled ones included' }) interventions: InterventionProgressDto[];
  @ApiProperty({ type: ProgressFiguresDto, description: 'Sums over the interventions that are not cancelled (a person in two interventions counts in both)' })
  total: ProgressFiguresDto;
}
