import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OutboxSummaryDto } from './dto/outbox-summary.dto.js';
import { Roles } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { MailService } from './mail.service.js';

/** The operators' view of the mail outbox: is mail flowing, what failed. No message content. */
@ApiTags('mail')
@ApiBearerAuth()
@Controller('mail/outbox')
export class MailController {
  constructor(private readonly mail: MailService) {}

  @Get('summary')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Outbox health: counts per status and recent permanent failures (coordinator)' })
  @ApiOkResponse({ type: OutboxSummaryDto })
  @ApiErrors(401, 403)
  summary(): Promise<OutboxSummaryDto> {
    return this.mail.summary();
  }
}
