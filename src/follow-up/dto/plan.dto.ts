import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateNested,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { isDuration } from '../duration.js';

/** An ISO 8601 duration (PnYnMnDTnHnMnS or PnW), as short as seconds. */
export function IsIsoDuration(options: ValidationOptions = {}) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIsoDuration',
      target: target.constructor,
      propertyName,
      options: { message: 'must be an ISO 8601 duration such as P1D, P3M or PT30S', ...options },
      validator: { validate: (value: unknown) => isDuration(value) },
    });
}

export class PlanStepInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  questionnaireId: string;

  @ApiProperty({ example: 'P1D', description: 'ISO 8601 duration after the session ends' })
  @IsIsoDuration()
  sendOffset: string;
}

export class CreatePlanDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'With `sendOffsets`: the questionnaire sent at each offset' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  questionnaireId?: string;

  @ApiPropertyOptional({ example: ['P1D', 'P90D'], type: String, isArray: true, description: 'With `questionnaireId` (default ["P1D"])' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsIsoDuration({ each: true })
  sendOffsets?: string[];

  @ApiPropertyOptional({ type: PlanStepInputDto, isArray: true, description: 'Instead of questionnaireId/sendOffsets: a questionnaire per step' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PlanStepInputDto)
  steps?: PlanStepInputDto[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Without it the plan is the default for all offerings' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  offeringId?: string;

  @ApiPropertyOptional({ example: 'P3D', description: 'Time between reminders to those who have not answered' })
  @IsOptional()
  @IsIsoDuration()
  reminderAfter?: string;

  @ApiPropertyOptional({ example: 2, minimum: 0, maximum: 10, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  maxReminders?: number;

  @ApiPropertyOptional({ example: 'P30D', description: 'After the planned send time the link stops working; unset: never' })
  @IsOptional()
  @IsIsoDuration()
  expiresAfter?: string;
}

export class PlanStepDto {
  @ApiProperty({ example: 1 })
  position: number;

  @ApiProperty({ format: 'uuid' })
  questionnaireId: string;

  @ApiProperty({ example: 'P1D' })
  sendOffset: string;
}

export class PlanDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: the default plan' })
  offeringId: string | null;

  @ApiProperty({ example: true, description: 'Whether this is the plan in use for its scope (a newer plan replaces it)' })
  active: boolean;

  @ApiProperty({ type: PlanStepDto, isArray: true })
  steps: PlanStepDto[];

  @ApiProperty({ example: 'P3D', nullable: true, type: String })
  reminderAfter: string | null;

  @ApiProperty({ example: 2 })
  maxReminders: number;

  @ApiProperty({ example: 'P30D', nullable: true, type: String })
  expiresAfter: string | null;

  @ApiProperty({ example: '2026-11-26T09:00:00.000Z' })
  createdAt: string;
}
