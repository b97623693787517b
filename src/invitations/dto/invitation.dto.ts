import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, MaxLength, MinLength } from 'class-validator';
import { UserDto } from '../../auth/dto/auth.dto.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class InvitationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['organisation', 'provider'], example: 'organisation' })
  kind: string;

  @ApiProperty({ format: 'uuid', description: 'The organisation or provider' })
  targetId: string;

  @ApiProperty({ example: 'erik.berg@example.se' })
  email: string;

  @ApiProperty({ example: 'employee' })
  role: string;

  @ApiProperty({ nullable: true, type: String, example: 'Arbetshandledare' })
  jobTitle: string | null;

  @ApiProperty({ example: '2026-12-10T09:00:00.000Z' })
  expiresAt: string;

  @ApiProperty({ example: '2026-11-26T09:00:00.000Z' })
  createdAt: string;
}

export class InvitationPreviewDto {
  @ApiProperty({ enum: ['organisation', 'provider'], example: 'organisation' })
  kind: string;

  @ApiProperty({ example: 'Returbutiken Ekonomisk Förening' })
  targetName: string;

  @ApiProperty({ example: 'erik.berg@example.se' })
  email: string;

  @ApiProperty({ example: 'employee' })
  role: string;

  @ApiProperty({ example: '2026-12-10T09:00:00.000Z' })
  expiresAt: string;

  @ApiProperty({
    description:
      'True when the address has a verified account: sign in and accept with the access token (without one the answer is 401 INVITATION_SIGN_IN_REQUIRED). ' +
      'False: accepting needs a name and a password (an unverified account of the address, if any, is taken over by the link holder).',
  })
  accountExists: boolean;
}

export class AcceptInvitationDto {
  @ApiPropertyOptional({ example: 'Erik Berg', description: 'Required when the address has no account yet' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'ett-bra-lösenord', description: 'Required when the address has no account yet' })
  @IsOptional()
  @IsString()
  @MinLength(10, { message: 'must be at least 10 characters long' })
  @MaxLength(200)
  password?: string;

  @ApiPropertyOptional({ enum: ['sv', 'en'], description: 'Language of a new account' })
  @IsOptional()
  @IsIn(['sv', 'en'])
  locale?: 'sv' | 'en';
}

export class AcceptedMembershipDto {
  @ApiProperty({ enum: ['organisation', 'provider'] })
  kind: string;

  @ApiProperty({ format: 'uuid' })
  targetId: string;

  @ApiProperty({ example: 'Returbutiken Ekonomisk Förening' })
  targetName: string;

  @ApiProperty({ example: 'employee' })
  role: string;
}

export class AcceptInvitationResponseDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ type: AcceptedMembershipDto })
  membership: AcceptedMembershipDto;
}
