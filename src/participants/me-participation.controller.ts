import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../common/decorators/auth.decorators.js';
import { NoIdempotencyRecord } from '../common/idempotency/idempotency.interceptor.js';
import { ApiErrors } from '../common/openapi.js';
import type { Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { ParticipantIdentityDto, SetParticipantIdentityDto } from './dto/identity.dto.js';
import { EsfParticipationDto, EsfParticipationPageDto } from './dto/register.dto.js';
import { ParticipantIdentityService } from './participant-identity.service.js';
import { RegisterService } from './register.service.js';

const IDENTITY_RULES =
  'Personnummer or samordningsnummer, 10 or 12 digits, date and check digit validated; stored encrypted, never shown again except masked, ' +
  'and sent only in the monthly participant file to the statistics authority. Only for people taking part in (or booked on) a programme with ESF reporting ' +
  '(otherwise 409 PARTICIPANT_NOT_IN_ESF_PROGRAMME). Invalid → 400 naming personalIdentityNumber; nothing is written. Audit-logged. ' +
  'Idempotency-Key is ignored here (setting the same number again changes nothing, and the body is not kept even as a hash).';

@ApiTags('esf-participants')
@ApiBearerAuth()
@Controller()
export class MeParticipationController {
  constructor(
    private readonly identities: ParticipantIdentityService,
    private readonly register: RegisterService,
  ) {}

  @Put('me/participant-identity')
  @HttpCode(204)
  @NoIdempotencyRecord()
  @ApiOperation({ summary: 'Give your identity number for the ESF participant file', description: IDENTITY_RULES })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 409)
  async setOwn(@CurrentUser() user: AuthUser, @Body() dto: SetParticipantIdentityDto): Promise<void> {
    await this.identities.setOwn(user, dto.personalIdentityNumber);
  }

  @Get('me/participant-identity')
  @ApiOperation({ summary: 'Your identity number, masked, with why it is asked for (Swedish and English)' })
  @ApiOkResponse({ type: ParticipantIdentityDto })
  @ApiErrors(401)
  own(@CurrentUser() user: AuthUser): Promise<ParticipantIdentityDto> {
    return this.identities.own(user);
  }

  @Put('organisations/:id/members/:userId/participant-identity')
  @HttpCode(204)
  @NoIdempotencyRecord()
  @ApiOperation({ summary: 'Give an employee\'s identity number (org admin of that organisation, coordinator)', description: `${IDENTITY_RULES} The person must be a member of the organisation (404 PARTICIPANT_NOT_A_MEMBER).` })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404, 409)
  async setForMember(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') organisationId: string,
    @UuidParam('userId') userId: string,
    @Body() dto: SetParticipantIdentityDto,
  ): Promise<void> {
    await this.identities.setForMember(user, organisationId, userId, dto.personalIdentityNumber);
  }

  @Get('me/esf-participations')
  @ApiOperation({ summary: 'Your participations in ESF programmes', description: 'Start and end dates and the hours attended.' })
  @ApiOkResponse({ type: EsfParticipationPageDto })
  @ApiErrors(401)
  mine(@CurrentUser() user: AuthUser): Promise<Page<EsfParticipationDto>> {
    return this.register.mine(user);
  }

  @Post('me/esf-participations/:programmeId/leave')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Leave an ESF programme',
    description: 'Ends your participation today. With a booking of the programme still ahead → 409 PARTICIPANT_HAS_UPCOMING_BOOKING (cancel it first); already left → 409; not a participant → 404.',
  })
  @ApiOkResponse({ type: EsfParticipationDto })
  @ApiErrors(400, 401, 404, 409)
  leave(@CurrentUser() user: AuthUser, @UuidParam('programmeId') programmeId: string): Promise<EsfParticipationDto> {
    return this.register.leave(user, programmeId);
  }
}
