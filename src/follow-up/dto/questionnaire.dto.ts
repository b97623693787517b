import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { LIKERT_SCALES, QUESTION_TYPES, TEXT_MAX_LENGTH, type LikertScale, type QuestionType } from '../questionnaire.types.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class QuestionOptionDto {
  @ApiProperty({ example: 'online', description: 'Stored in answers; lower-case letters, digits and _' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_]{0,39}$/, { message: 'must be 1–40 lower-case letters, digits or _' })
  value: string;

  @ApiProperty({ example: 'På distans' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label: string;

  @ApiPropertyOptional({ example: 'Online', nullable: true, type: String })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  labelEn?: string | null;
}

export class QuestionDto {
  @ApiProperty({ example: 'satisfaction', description: 'Names the answer and the form field; lower-case letters, digits and _' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'must start with a letter and be 1–40 lower-case letters, digits or _' })
  key: string;

  @ApiProperty({ enum: QUESTION_TYPES, example: 'likert5' })
  @IsIn(QUESTION_TYPES)
  type: QuestionType;

  @ApiProperty({ example: 'Jag är nöjd med kursen.' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  text: string;

  @ApiPropertyOptional({ example: 'I am satisfied with the course.', nullable: true, type: String })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  textEn?: string | null;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({
    enum: LIKERT_SCALES,
    default: 'agreement',
    description: 'likert5 only: agreement ("Stämmer inte alls" … "Stämmer helt") for statements, satisfaction ("Mycket missnöjd" … "Mycket nöjd") for a question of satisfaction',
  })
  @IsOptional()
  @IsIn(LIKERT_SCALES)
  scale?: LikertScale;

  @ApiPropertyOptional({ type: QuestionOptionDto, isArray: true, description: 'single_choice and multi_choice only (2–20)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => QuestionOptionDto)
  options?: QuestionOptionDto[];

  @ApiPropertyOptional({ example: 0, description: 'number only' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  min?: number;

  @ApiPropertyOptional({ example: 100, description: 'number only' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  max?: number;

  @ApiPropertyOptional({ example: 1000, maximum: TEXT_MAX_LENGTH, description: `text only; at most ${TEXT_MAX_LENGTH} (the default)` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(TEXT_MAX_LENGTH)
  maxLength?: number;
}

export class CreateQuestionnaireDto {
  @ApiProperty({ example: 'Vad tyckte du om kursen?' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ example: 'What did you think of the course?', nullable: true, type: String })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  titleEn?: string | null;

  @ApiProperty({ type: QuestionDto, isArray: true, minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions: QuestionDto[];
}

export class QuestionOptionResponseDto {
  @ApiProperty({ example: 'online' })
  value: string;

  @ApiProperty({ example: 'På distans' })
  label: string;

  @ApiProperty({ example: 'Online', nullable: true, type: String })
  labelEn: string | null;
}

export class QuestionResponseDto {
  @ApiProperty({ example: 'satisfaction' })
  key: string;

  @ApiProperty({ enum: QUESTION_TYPES, example: 'likert5' })
  type: QuestionType;

  @ApiProperty({ example: 'Jag är nöjd med kursen.' })
  text: string;

  @ApiProperty({ example: 'I am satisfied with the course.', nullable: true, type: String })
  textEn: string | null;

  @ApiProperty({ example: true })
  required: boolean;

  @ApiPropertyOptional({ enum: LIKERT_SCALES, description: 'likert5 only; absent means agreement' })
  scale?: LikertScale;

  @ApiPropertyOptional({ type: QuestionOptionResponseDto, isArray: true })
  options?: QuestionOptionResponseDto[];

  @ApiPropertyOptional({ example: 0, nullable: true, type: Number })
  min?: number | null;

  @ApiPropertyOptional({ example: 100, nullable: true, type: Number })
  max?: number | null;

  @ApiPropertyOptional({ example: 2000, nullable: true, type: Number })
  maxLength?: number | null;
}

export class QuestionnaireDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'course_evaluation', nullable: true, type: String, description: 'Set on the questionnaires shipped with the system' })
  key: string | null;

  @ApiProperty({ example: 'Vad tyckte du om kursen?' })
  title: string;

  @ApiProperty({ example: 'What did you think of the course?', nullable: true, type: String })
  titleEn: string | null;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The version this one replaced' })
  previousId: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The newer version that replaced this one' })
  replacedById: string | null;

  @ApiProperty({ example: false, description: 'Answered questionnaires never change: editing makes a new version' })
  answered: boolean;

  @ApiProperty({ type: QuestionResponseDto, isArray: true })
  questions: QuestionResponseDto[];

  @ApiProperty({ example: '2026-11-26T09:00:00.000Z' })
  createdAt: string;
}
