import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { FollowUpStatusDto } from './dto/status.dto.js';
import { FollowUpStatusService } from './follow-up-status.service.js';

@ApiTags('follow-up')
@ApiBearerAuth()
@Roles('coordinator')
@Controller('follow-up')
export class FollowUpStatusController {
  constructor(private readonly status: FollowUpStatusService) {}

  @Get('status')
  @ApiOperation({ summary: 'Evaluation invitations due, sent, answered, opted out, expired, and failed deliveries (coordinator)' })
  @ApiOkResponse({ type: FollowUpStatusDto })
  @ApiErrors(401, 403)
  get(): Promise<FollowUpStatusDto> {
    return this.status.status();
  }
}
