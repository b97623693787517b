import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, IsUrl, Length, Matches, MaxLength } from 'class-validator';
import { IsOrgNumber, normaliseOrgNumber } from '../../organisations/dto/organisation.dto.js';
import { PROVIDER_KINDS, type ProviderKind } from '../provider.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateProviderDto {
  @ApiProperty({ example: 'Studieförbundet Vuxenskolan Uppsala län' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  name: string;

  @ApiProperty({ enum: PROVIDER_KINDS, example: 'study_association' })
  @IsIn(PROVIDER_KINDS)
  kind: ProviderKind;

  @ApiPropertyOptional({ example: '802009-6007', description: 'Organisationsnummer; validated (Luhn) and normalised to NNNNNN-NNNN' })
  @IsOptional()
  @Transform(normaliseOrgNumber)
  @IsOrgNumber()
  orgNumber?: string;

  @ApiPropertyOptional({ example: '0380', description: 'Home municipality (SCB code of one of the 48)' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}$/, { message: 'must be a 4-digit SCB municipality code' })
  municipalityCode?: string;

  @ApiPropertyOptional({ example: 'https://www.sv.se/uppsala' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http(s) address' })
  @MaxLength(300)
  website?: string;

  @ApiPropertyOptional({ example: 'uppsala@sv.se' })
  @IsOptional()
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  contactEmail?: string;
}

export class UpdateProviderDto extends PartialType(CreateProviderDto) {}

export class ProviderDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Studieförbundet Vuxenskolan Uppsala län' })
  name: string;

  @ApiProperty({ enum: PROVIDER_KINDS, example: 'study_association' })
  kind: ProviderKind;

  @ApiProperty({ nullable: true, type: String, example: '802009-6007' })
  orgNumber: string | null;

  @ApiProperty({ nullable: true, type: String, example: '0380' })
  municipalityCode: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'https://www.sv.se/uppsala' })
  website: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'uppsala@sv.se' })
  contactEmail: string | null;

  @ApiProperty({ example: '2026-11-26T09:00:00.000Z' })
  createdAt: string;
}

export class InviteStaffDto {
  @ApiProperty({ example: 'karin.lund@sv.se' })
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ enum: ['sv', 'en'], default: 'sv', description: 'Language of the email for someone without an account' })
  @IsOptional()
  @IsIn(['sv', 'en'])
  locale?: 'sv' | 'en';
}

export class StaffMemberDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ nullable: true, type: String, example: 'Karin Lund' })
  name: string | null;

  @ApiProperty({ example: 'karin.lund@sv.se' })
  email: string;

  @ApiProperty({ example: '2026-11-26T09:00:00.000Z' })
  staffSince: string;
}
