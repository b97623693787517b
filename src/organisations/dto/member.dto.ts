import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ORG_ROLES, type OrgRole } from '../organisation-member.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class MemberDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ example: 'Erik Berg', nullable: true, type: String })
  name: string | null;

  @ApiProperty({ example: 'erik.berg@example.se' })
  email: string;

  @ApiProperty({ enum: ORG_ROLES, example: 'employee' })
  role: OrgRole;

  @ApiProperty({ nullable: true, type: String, example: 'Arbetshandledare' })
  jobTitle: string | null;

  @ApiProperty({ example: '2026-11-26T09:00:00.000Z' })
  memberSince: string;
}

export class UpdateMemberDto {
  @ApiPropertyOptional({ enum: ORG_ROLES })
  @IsOptional()
  @IsIn(ORG_ROLES)
  role?: OrgRole;

  @ApiPropertyOptional({ example: 'Arbetshandledare', nullable: true, type: String })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  jobTitle?: string | null;
}

export class InviteMemberDto {
  @ApiProperty({ example: 'erik.berg@example.se' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ enum: ORG_ROLES, example: 'employee' })
  @IsIn(ORG_ROLES)
  role: OrgRole;

  @ApiPropertyOptional({ example: 'Arbetshandledare' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  jobTitle?: string;

  @ApiPropertyOptional({ enum: ['sv', 'en'], default: 'sv', description: 'Language of the email for someone without an account' })
  @IsOptional()
  @IsIn(['sv', 'en'])
  locale?: 'sv' | 'en';
}
