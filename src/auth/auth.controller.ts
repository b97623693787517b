import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Public } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import type { AuthUser } from './auth-user.js';
import { AuthService } from './auth.service.js';
import {
  AcceptedDto,
  LoginDto,
  MagicLinkRequestDto,
  MagicLinkVerifyDto,
  MessageDto,
  PasswordChangeDto,
  PasswordResetDto,
  PasswordResetRequestDto,
  RegisterDto,
  RegisterResponseDto,
  TokenResponseDto,
} from './dto/auth.dto.js';
import { LocalAuthGuard } from './guards.js';
import { UsersService } from './users.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Post('register')
  @ApiOperation({
    summary: 'Create an account (a person with no organisation yet)',
    description:
      'The account starts unverified (`emailVerified: false`): POST /auth/email-verification mails a link that proves the address. ' +
      'Until then an invitation accepted for the address makes the link holder the owner of the account. ' +
      'Registrations per client address and per email are limited in a window (429).',
  })
  @ApiCreatedResponse({ type: RegisterResponseDto })
  @ApiErrors(400, 409, 429)
  register(@Body() dto: RegisterDto, @Req() req: FastifyRequest): Promise<RegisterResponseDto> {
    return this.auth.register(dto, req.ip ?? 'unknown');
  }

  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password',
    description: 'Repeated failures for one account, or from one address, answer 429 for a while.',
  })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(400, 401, 429)
  async login(@CurrentUser() caller: AuthUser): Promise<TokenResponseDto> {
    const user = await this.users.findActiveById(caller.id);
    return this.auth.issueToken(user!);
  }

  @Public()
  @Post('magic-link')
  @HttpCode(202)
  @ApiOperation({ summary: 'Email a single-use sign-in link', description: 'Always 202, whether or not the account exists.' })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors(400)
  async requestMagicLink(@Body() dto: MagicLinkRequestDto): Promise<AcceptedDto> {
    await this.auth.requestMagicLink(dto.email);
    return { message: 'If the address has an account, a sign-in link is on its way.' };
  }

  @Public()
  @Post('magic-link/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a sign-in link token for an access token (once)' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(400, 401)
  verifyMagicLink(@Body() dto: MagicLinkVerifyDto): Promise<TokenResponseDto> {
    return this.auth.verifyMagicLink(dto.token);
  }

  @ApiBearerAuth()
  @Post('email-verification')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Email the signed-in person a link that verifies their address',
    description: 'The link is a single-use sign-in link (the magic-link page); completing it, or any other emailed link, verifies the address. 409 when already verified.',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors(401, 409)
  async requestEmailVerification(@CurrentUser() caller: AuthUser): Promise<AcceptedDto> {
    await this.auth.requestEmailVerification(caller);
    return { message: 'A link that confirms your address is on its way.' };
  }

  @ApiBearerAuth()
  @Post('password')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change your password (the current one is required)',
    description: 'Every other access token of the account stops working; the answer carries a new one. Wrong current passwords count as failed sign-ins (429 past the limit).',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(400, 401, 429)
  changePassword(@CurrentUser() caller: AuthUser, @Body() dto: PasswordChangeDto, @Req() req: FastifyRequest): Promise<TokenResponseDto> {
    return this.auth.changePassword(caller, dto.currentPassword, dto.newPassword, req.ip ?? 'unknown');
  }

  @ApiBearerAuth()
  @Post('sign-out-everywhere')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke every access token of your account, this one included' })
  @ApiNoContentResponse({ description: 'Signed out everywhere' })
  @ApiErrors(401)
  async signOutEverywhere(@CurrentUser() caller: AuthUser): Promise<void> {
    await this.auth.signOutEverywhere(caller);
  }

  @Public()
  @Post('password-reset')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Email a single-use link for choosing a new password',
    description: 'Always 202, whether or not the account exists. The link opens `/reset-password?token=…`, whose page posts to /auth/password-reset/confirm.',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors(400)
  async requestPasswordReset(@Body() dto: PasswordResetRequestDto): Promise<AcceptedDto> {
    await this.auth.requestPasswordReset(dto.email);
    return { message: 'If the address has an account, a link for choosing a new password is on its way.' };
  }

  @Public()
  @Post('password-reset/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set a new password with the token from a reset link (once)',
    description: 'Every access token of the account stops working and the address counts as verified. No token is issued: sign in with the new password.',
  })
  @ApiOkResponse({ type: MessageDto })
  @ApiErrors(400, 401)
  async resetPassword(@Body() dto: PasswordResetDto): Promise<MessageDto> {
    await this.auth.resetPassword(dto.token, dto.password);
    return { message: 'Your password is changed; sign in with it.' };
  }
}
