import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import type { AuthUser } from './auth-user.js';
import { AuthService } from './auth.service.js';
import {
  AcceptedDto,
  LoginDto,
  MagicLinkRequestDto,
  MagicLinkVerifyDto,
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
  @ApiOperation({ summary: 'Create an account (a person with no organisation yet)' })
  @ApiCreatedResponse({ type: RegisterResponseDto })
  @ApiErrors(400, 409)
  register(@Body() dto: RegisterDto): Promise<RegisterResponseDto> {
    return this.auth.register(dto);
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
}
