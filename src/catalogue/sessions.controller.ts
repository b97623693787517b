import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { ApiKeyAccess, CurrentUser, MaybeUser, OptionalAuth } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { UuidParam } from '../common/params.js';
import { CancelSessionDto, SessionDto, UpdateSessionDto } from './dto/session.dto.js';
import { SessionsService } from './sessions.service.js';

@ApiTags('catalogue')
@ApiBearerAuth()
@ApiKeyAccess()
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @OptionalAuth()
  @Get(':id')
  @ApiOperation({
    summary: 'One session with seatsLeft',
    description: 'Public for published offerings; otherwise 404 for everyone but the provider\'s staff and coordinators, who also see onlineUrl.',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiErrors(400, 401, 404)
  get(@MaybeUser() user: AuthUser | undefined, @UuidParam('id') id: string): Promise<SessionDto> {
    return this.sessions.get(user, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a session (the provider\'s staff, or a coordinator)',
    description:
      'Validated as a whole after the change. Capacity below the seats already taken → 409 SESSION_CAPACITY_BELOW_TAKEN; a raised capacity ' +
      'moves the waitlist up. Cancelled sessions and archived offerings → 409.',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: UpdateSessionDto): Promise<SessionDto> {
    return this.sessions.update(user, id, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a whole session (the provider\'s staff, or a coordinator)',
    description: 'Its bookings are cancelled and the people told, with the reason, in the same transaction. Already cancelled → 409.',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiErrors(400, 401, 403, 404, 409)
  cancel(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: CancelSessionDto): Promise<SessionDto> {
    return this.sessions.cancel(user, id, dto);
  }
}
