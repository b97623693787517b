import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, MaxLength, MinLength } from 'class-validator';
import type { GlobalRole, Locale } from '../auth-user.js';

const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RegisterDto {
  @ApiProperty({ example: 'anna.svensson@example.se' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'korrekt-häst-batteri', minLength: 10, maxLength: 200 })
  @IsString()
  @MinLength(10, { message: 'must be at least 10 characters long' })
  @MaxLength(200)
  password: string;

  @ApiProperty({ example: 'Anna Svensson' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ enum: ['sv', 'en'], default: 'sv', description: 'Language of emails and pages' })
  @IsOptional()
  @IsIn(['sv', 'en'])
  locale?: Locale;
}

export class LoginDto {
  @ApiProperty({ example: 'anna.svensson@example.se' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'korrekt-häst-batteri' })
  @IsString()
  @Length(1, 200)
  password: string;
}

export class MagicLinkRequestDto {
  @ApiProperty({ example: 'anna.svensson@example.se' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email: string;
}

export class MagicLinkVerifyDto {
  @ApiProperty({ description: 'The token from the emailed link', example: 'q3v0bq1m3oGx2kqk1b7m8JtC0ZbYx3e4d5f6g7h8i9A' })
  @IsString()
  @Length(20, 200)
  token: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid', example: '6f1c2a59-8d0e-4a53-9d7e-3b1f2a9c4e11' })
  id: string;

  @ApiProperty({ example: 'anna.svensson@example.se' })
  email: string;

  @ApiProperty({ example: 'Anna Svensson', nullable: true, type: String })
  name: string | null;

  @ApiProperty({ enum: ['coordinator'], nullable: true, example: 'coordinator', description: 'Global role (null for everyone but coordinators); per-organisation roles are in memberships' })
  globalRole: GlobalRole | null;

  @ApiProperty({ enum: ['sv', 'en'], example: 'sv' })
  locale: Locale;

  @ApiProperty({ example: false, description: 'True once a completed link (sign-in link, invitation, password reset) proved the address. An unverified account can be taken over by whoever accepts an invitation sent to its address.' })
  emailVerified: boolean;

  @ApiProperty({ example: '2026-11-26T09:00:00.000Z' })
  createdAt: string;
}

export class RegisterResponseDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ description: 'A bearer token, so that a new account can continue at once' })
  accessToken: string;
}

export class TokenResponseDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' })
  accessToken: string;

  @ApiProperty({ example: 43200, description: 'Seconds until the token expires' })
  expiresIn: number;

  @ApiProperty({ type: UserDto })
  user: UserDto;
}

export class AcceptedDto {
  @ApiProperty({ example: 'If the address has an account, a sign-in link is on its way.' })
  message: string;
}

export class PasswordChangeDto {
  @ApiProperty({ example: 'korrekt-häst-batteri' })
  @IsString()
  @Length(1, 200)
  currentPassword: string;

  @ApiProperty({ example: 'ett-nytt-bra-lösenord', minLength: 10, maxLength: 200 })
  @IsString()
  @MinLength(10, { message: 'must be at least 10 characters long' })
  @MaxLength(200)
  newPassword: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'anna.svensson@example.se' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email: string;
}

export class PasswordResetDto {
  @ApiProperty({ description: 'The token from the emailed reset link', example: 'q3v0bq1m3oGx2kqk1b7m8JtC0ZbYx3e4d5f6g7h8i9A' })
  @IsString()
  @Length(20, 200)
  token: string;

  @ApiProperty({ example: 'ett-nytt-bra-lösenord', minLength: 10, maxLength: 200 })
  @IsString()
  @MinLength(10, { message: 'must be at least 10 characters long' })
  @MaxLength(200)
  password: string;
}

export class MessageDto {
  @ApiProperty({ example: 'Your password is changed; sign in with it.' })
  message: string;
}
