import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { MaybeUser, OptionalAuth, Public } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { AcceptInvitationDto, AcceptInvitationResponseDto, InvitationPreviewDto } from './dto/invitation.dto.js';
import { InvitationsService } from './invitations.service.js';

const TOKEN = { name: 'token', description: 'The token from the invitation link', example: 'q3v0bq1m3oGx2kqk1b7m8JtC0ZbYx3e4d5f6g7h8i9A' };

@ApiTags('invitations')
@Controller('invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Public()
  @Get(':token')
  @ApiOperation({ summary: 'What an invitation link is for (organisation or provider, role, whether an account exists)' })
  @ApiParam(TOKEN)
  @ApiOkResponse({ type: InvitationPreviewDto })
  @ApiErrors(404, 409)
  preview(@Param('token') token: string): Promise<InvitationPreviewDto> {
    return this.invitations.preview(token);
  }

  @OptionalAuth()
  @ApiBearerAuth()
  @Post(':token/accept')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Accept an invitation (once)',
    description:
      'Never issues an access token: sign in afterwards. With a bearer token: the signed-in account must be the invited address, which then counts as verified. ' +
      'Without one: `name` and `password` create the account, or take over an unverified account of the address (its old password and tokens stop working); ' +
      'a verified account answers 401 INVITATION_SIGN_IN_REQUIRED (sign in, then accept with the token). Expired, used and withdrawn links answer 409.',
  })
  @ApiParam(TOKEN)
  @ApiOkResponse({ type: AcceptInvitationResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  accept(
    @Param('token') token: string,
    @Body() dto: AcceptInvitationDto,
    @MaybeUser() caller?: AuthUser,
  ): Promise<AcceptInvitationResponseDto> {
    return this.invitations.accept(token, dto, caller);
  }
}
