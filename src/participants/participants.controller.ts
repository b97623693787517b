import { Body, Controller, Get, HttpCode, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import type { Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { download, XLSX } from './download.js';
import { EndEsfParticipationDto, EsfParticipantDto, EsfParticipantPageDto, EsfRegisterQueryDto } from './dto/register.dto.js';
import { RegisterService } from './register.service.js';

@ApiTags('esf-participants')
@ApiBearerAuth()
@Controller('programmes')
export class ParticipantsController {
  constructor(private readonly register: RegisterService) {}

  @Get(':id/participants')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'The ESF participant register of a programme (coordinator); ?format=json|csv|xlsx',
    description:
      'Everyone recorded as attending a session of one of the programme\'s interventions, in order of start: name and email (null once the account is erased: ' +
      'the row stays as ESF evidence), the organisation number at the start, start date (the first attended session), end date (left, ended by a coordinator, ' +
      'or the programme\'s end once past), hours attended, certified hours, gender from the profile, and whether an identity number is given (never the number). ' +
      'A programme without esfReporting → 409 PROGRAMME_NOT_ESF_REPORTING.',
  })
  @ApiProduces('application/json', 'text/csv', XLSX)
  @ApiOkResponse({ type: EsfParticipantPageDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async list(
    @UuidParam('id') id: string,
    @Query() query: EsfRegisterQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<Page<EsfParticipantDto> | StreamableFile | string> {
    if (query.format === 'csv' || query.format === 'xlsx') return download(res, await this.register.export(id, query.format), query.format, `deltagarregister-${id}`);
    return this.register.page(id, query);
  }

  @Post(':id/participants/:participantId/end')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({
    summary: 'End a participation (coordinator)',
    description: '`endedOn` defaults to today; before the start or in the future → 400; already ended → 409 PARTICIPANT_ALREADY_ENDED; audit-logged.',
  })
  @ApiOkResponse({ type: EsfParticipantDto })
  @ApiErrors(400, 401, 403, 404, 409)
  end(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('participantId') participantId: string,
    @Body() dto: EndEsfParticipationDto,
  ): Promise<EsfParticipantDto> {
    return this.register.end(user, id, participantId, dto);
  }
}
