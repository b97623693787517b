import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { UserDto } from '../../auth/dto/auth.dto.js';
import { DISABILITY_ANSWERS, EDUCATION_LEVELS, EMPLOYMENT_TYPES, GENDERS } from '../person-profile.entity.js';

const THIS_YEAR = new Date().getUTCFullYear();

/** All fields optional; PUT replaces the profile (a field left out is cleared). */
export class UpdateProfileDto {
  @ApiPropertyOptional({ enum: GENDERS, nullable: true, example: 'woman' })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: (typeof GENDERS)[number] | null;

  @ApiPropertyOptional({ example: 1984, minimum: 1920, type: 'integer', nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1920)
  @Max(THIS_YEAR - 14)
  birthYear?: number | null;

  @ApiPropertyOptional({ enum: EDUCATION_LEVELS, nullable: true, example: 'isced_3_4', description: 'ISCED band (SUN levels map onto these)' })
  @IsOptional()
  @IsIn(EDUCATION_LEVELS)
  educationLevel?: (typeof EDUCATION_LEVELS)[number] | null;

  @ApiPropertyOptional({ enum: EMPLOYMENT_TYPES, nullable: true, example: 'subsidised' })
  @IsOptional()
  @IsIn(EMPLOYMENT_TYPES)
  employmentType?: (typeof EMPLOYMENT_TYPES)[number] | null;

  @ApiPropertyOptional({ type: [String], example: ['induction_loop', 'easy_to_read'], description: 'Accessibility feature codes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  accessibilityNeeds?: string[];

  @ApiPropertyOptional({
    enum: DISABILITY_ANSWERS,
    nullable: true,
    example: 'prefer_not_to_say',
    description: 'Special-category data: stored apart, shown only to you, used only in aggregates',
  })
  @IsOptional()
  @IsIn(DISABILITY_ANSWERS)
  disability?: (typeof DISABILITY_ANSWERS)[number] | null;
}

export class ProfileDto {
  @ApiProperty({ enum: GENDERS, nullable: true })
  gender: string | null;

  @ApiProperty({ nullable: true, type: Number, example: 1984 })
  birthYear: number | null;

  @ApiProperty({ enum: EDUCATION_LEVELS, nullable: true })
  educationLevel: string | null;

  @ApiProperty({ enum: EMPLOYMENT_TYPES, nullable: true })
  employmentType: string | null;

  @ApiProperty({ type: [String], example: ['induction_loop'] })
  accessibilityNeeds: string[];

  @ApiProperty({ enum: DISABILITY_ANSWERS, nullable: true, description: 'Only ever returned to the person themselves' })
  disability: string | null;
}

export class MembershipSummaryDto {
  @ApiProperty({ enum: ['organisation', 'provider'] })
  kind: 'organisation' | 'provider';

  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Returbutiken Ekonomisk Förening' })
  name: string;

  @ApiProperty({ example: 'employee' })
  role: string;

  @ApiProperty({ nullable: true, type: String, example: 'Arbetshandledare' })
  jobTitle: string | null;
}

export class MeDto extends UserDto {
  @ApiProperty({ type: MembershipSummaryDto, isArray: true })
  memberships: MembershipSummaryDto[];

  @ApiProperty({ type: ProfileDto })
  profile: ProfileDto;
}
