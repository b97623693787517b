import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { QuestionResponseDto } from './questionnaire.dto.js';

export class EvaluationFormDto {
  @ApiProperty({ format: 'uuid' })
  questionnaireId: string;

  @ApiProperty({ example: 'Vad tyckte du om kursen?' })
  title: string;

  @ApiProperty({ example: 'What did you think of the course?', nullable: true, type: String })
  titleEn: string | null;

  @ApiProperty({ example: 'Bokföring för ideella föreningar', nullable: true, type: String })
  courseTitle: string | null;

  @ApiProperty({ enum: ['sv', 'en'], example: 'sv', description: 'The language the invitation was sent in' })
  locale: 'sv' | 'en';

  @ApiProperty({ example: '2026-12-26T09:00:00.000Z', nullable: true, type: String })
  expiresAt: string | null;

  @ApiProperty({ type: QuestionResponseDto, isArray: true })
  questions: QuestionResponseDto[];
}

export class SubmitEvaluationDto {
  @ApiProperty({
    description: 'Question key → answer: a number for likert5 (1–5), nps (0–10) and number; an option value for single_choice; a list of option values for multi_choice; text for text',
    example: { satisfaction: 5, relevance: 4, leader: 5, accessibility: 'yes', comments: 'Bra exempel från föreningslivet.' },
    type: 'object',
    additionalProperties: true,
  })
  @IsObject({ message: 'must be an object of question key to answer' })
  answers: Record<string, unknown>;
}

export class EvaluationReceivedDto {
  @ApiProperty({ example: true })
  answered: boolean;

  @ApiProperty({ example: '2026-11-27', description: 'The day of the answer; the time is not kept' })
  answeredOn: string;
}
