import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidationArguments,
} from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination.js';
import { LEGAL_FORMS, type LegalForm, type Sector, SECTORS } from '../organisation.entity.js';
import { ORG_NUMBER_MESSAGES, parseOrgNumber } from '../org-number.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A Swedish organisation number in any accepted spelling; normalised to NNNNNN-NNNN by the transform. */
export function IsOrgNumber() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isOrgNumber',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && 'value' in parseOrgNumber(value),
        defaultMessage: (args: ValidationArguments) => {
          if (typeof args.value !== 'string') return 'must be a string like 556036-0793';
          const parsed = parseOrgNumber(args.value);
          return 'problem' in parsed ? ORG_NUMBER_MESSAGES[parsed.problem] : 'is invalid';
        },
      },
    });
}

/** Normalises a valid organisation number to NNNNNN-NNNN; leaves anything else for the validator. */
export const normaliseOrgNumber = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const parsed = parseOrgNumber(value);
  return 'value' in parsed ? parsed.value : value;
};

export class CreateOrganisationDto {
  @ApiProperty({ example: 'Returbutiken Ekonomisk Förening' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  name: string;

  @ApiProperty({
    example: '556036-0793',
    description: '10 digits (NNNNNN-NNNN, hyphen optional) or 12 digits starting with 16; third digit ≥ 2; Luhn check digit',
  })
  @Transform(normaliseOrgNumber)
  @IsOrgNumber()
  orgNumber: string;

  @ApiProperty({ enum: LEGAL_FORMS, example: 'ekonomisk_forening' })
  @IsIn(LEGAL_FORMS)
  legalForm: LegalForm;

  @ApiProperty({ enum: SECTORS, example: 'social_economy' })
  @IsIn(SECTORS)
  sector: Sector;

  @ApiProperty({ example: '0380', description: 'SCB code of one of the programme\'s 48 municipalities' })
  @IsString()
  @Matches(/^\d{4}$/, { message: 'must be a 4-digit SCB municipality code' })
  municipalityCode: string;

  @ApiPropertyOptional({ example: 'info@returbutiken.se' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  contactEmail?: string;

  @ApiPropertyOptional({ example: '018-12 34 56' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(/^[+\d][\d\s-]{4,38}$/, { message: 'must be a phone number' })
  contactPhone?: string;

  @ApiPropertyOptional({ example: 'Storgatan 1, 753 20 Uppsala' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  postalAddress?: string;

  @ApiPropertyOptional({ example: 'https://returbutiken.se' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http(s) address' })
  @MaxLength(300)
  website?: string;

  @ApiPropertyOptional({ example: 12, minimum: 0, maximum: 1000000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  employeeCount?: number;
}

/** Everything but the organisation number can be changed. */
export class UpdateOrganisationDto extends PartialType(
  PickType(CreateOrganisationDto, [
    'name',
    'legalForm',
    'sector',
    'municipalityCode',
    'contactEmail',
    'contactPhone',
    'postalAddress',
    'website',
    'employeeCount',
  ] as const),
) {}

export class OrganisationQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: '0380', description: 'Coordinators: filter by municipality' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'must be a 4-digit SCB municipality code' })
  municipality?: string;

  @ApiPropertyOptional({ example: '03', description: 'Coordinators: filter by county (län)' })
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'must be a 2-digit county code' })
  county?: string;

  @ApiPropertyOptional({ enum: LEGAL_FORMS })
  @IsOptional()
  @IsIn(LEGAL_FORMS)
  legalForm?: LegalForm;

  @ApiPropertyOptional({ enum: SECTORS })
  @IsOptional()
  @IsIn(SECTORS)
  sector?: Sector;

  @ApiPropertyOptional({ example: 'retur', description: 'Name or organisation number contains' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class OrganisationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Returbutiken Ekonomisk Förening' })
  name: string;

  @ApiProperty({ example: '556036-0793' })
  orgNumber: string;

  @ApiProperty({ enum: LEGAL_FORMS, example: 'ekonomisk_forening' })
  legalForm: LegalForm;

  @ApiProperty({ enum: SECTORS, example: 'social_economy' })
  sector: Sector;

  @ApiProperty({ example: '0380' })
  municipalityCode: string;

  @ApiProperty({ example: 'Uppsala' })
  municipalityName: string;

  @ApiProperty({ example: '03' })
  countyCode: string;

  @ApiProperty({ nullable: true, type: String, example: 'info@returbutiken.se' })
  contactEmail: string | null;

  @ApiProperty({ nullable: true, type: String, example: '018-12 34 56' })
  contactPhone: string | null;

  @ApiProperty({ nullable: true, type: String })
  postalAddress: string | null;

  @ApiProperty({ nullable: true, type: String })
  website: string | null;

  @ApiProperty({ nullable: true, type: Number, example: 12 })
  employeeCount: number | null;

  @ApiProperty({ example: '2026-11-26T09:00:00.000Z' })
  createdAt: string;
}

export class OrganisationPageDto {
  @ApiProperty({ type: OrganisationDto, isArray: true })
  items: OrganisationDto[];

  @ApiProperty({ example: 1 })
  total: number;
}

