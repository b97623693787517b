import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { QUESTION_TYPES, type QuestionType } from '../questionnaire.types.js';

export const RESULT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];

export class OfferingResultsQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this questionnaire version' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  questionnaireId?: string;

  @ApiPropertyOptional({ enum: RESULT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(RESULT_FORMATS)
  format?: ResultFormat;
}

export class ResultsQueryDto extends OfferingResultsQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Results of one provider (coordinators; that provider\'s staff)' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  providerId?: string;

  @ApiPropertyOptional({ example: 'employer_role', description: 'Results of offerings with this theme' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  themeCode?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Results of the participants of one organisation (coordinators)' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  organisationId?: string;
}

export class ChoiceCountDto {
  @ApiProperty({ example: '5' })
  value: string;

  @ApiProperty({ example: 'Stämmer helt' })
  label: string;

  @ApiProperty({ example: 4 })
  count: number;
}

export class QuestionResultDto {
  @ApiProperty({ example: 'satisfaction' })
  key: string;

  @ApiProperty({ enum: QUESTION_TYPES, example: 'likert5' })
  type: QuestionType;

  @ApiProperty({ example: 'Jag är nöjd med kursen.' })
  text: string;

  @ApiProperty({ example: 7, description: 'How many answered this question' })
  answered: number;

  @ApiPropertyOptional({ example: 4.3, nullable: true, type: Number, description: 'likert5, nps, number' })
  mean?: number | null;

  @ApiPropertyOptional({ type: ChoiceCountDto, isArray: true, description: 'likert5, nps, single_choice, multi_choice' })
  distribution?: ChoiceCountDto[];

  @ApiPropertyOptional({ example: 20, nullable: true, type: Number, description: 'nps only: % promoters (9–10) minus % detractors (0–6)' })
  npsScore?: number | null;

  @ApiPropertyOptional({ type: String, isArray: true, description: 'text only, in alphabetical order (never in answer order)' })
  texts?: string[];
}

export class QuestionnaireResultDto {
  @ApiProperty({ format: 'uuid' })
  questionnaireId: string;

  @ApiProperty({ example: 'Vad tyckte du om kursen?' })
  title: string;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ example: 12, description: 'Invitations sent' })
  invited: number;

  @ApiProperty({ example: 7 })
  responses: number;

  @ApiProperty({ example: 0.58, nullable: true, type: Number })
  responseRate: number | null;

  @ApiProperty({ example: false, description: 'True below the minimum number of responses: only the counts are shown' })
  suppressed: boolean;

  @ApiProperty({ type: QuestionResultDto, isArray: true, description: 'Empty when suppressed' })
  questions: QuestionResultDto[];
}

export class EvaluationResultsDto {
  @ApiProperty({ example: { offeringId: '3f0c5a2e-9d7b-4c1e-8a6f-2b1d0e9c8a7b' }, description: 'The filters the results cover' })
  scope: Record<string, string>;

  @ApiProperty({ example: 5, description: 'Below this many responses a questionnaire shows counts only' })
  minResponses: number;

  @ApiProperty({ example: 12 })
  invited: number;

  @ApiProperty({ example: 7 })
  responses: number;

  @ApiProperty({ example: 0.58, nullable: true, type: Number })
  responseRate: number | null;

  @ApiProperty({ type: QuestionnaireResultDto, isArray: true })
  questionnaires: QuestionnaireResultDto[];
}
