import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import type { Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { CertificationCodeSentDto, CertifyTimeReportDto, TimeReportDto, TimeReportPageDto, TimeReportQueryDto } from './dto/time-report.dto.js';
import { TimeReportsService } from './time-reports.service.js';

@ApiTags('esf-participants')
@ApiBearerAuth()
@Controller()
export class TimeReportsController {
  constructor(private readonly reports: TimeReportsService) {}

  @Get('me/time-reports')
  @ApiOperation({
    summary: 'Your monthly time reports in ESF programmes, newest month first',
    description:
      'One report per programme and month with hours per session and day, from attendance (a session\'s length, or the whole hours the provider recorded). ' +
      'status: open (follows attendance; may be certified before the month ends), certified, cosigned, corrected (replaced by a correction: the next version, open).',
  })
  @ApiOkResponse({ type: TimeReportPageDto })
  @ApiErrors(400, 401)
  mine(@CurrentUser() user: AuthUser, @Query() query: TimeReportQueryDto): Promise<Page<TimeReportDto>> {
    return this.reports.mine(user, query);
  }

  @Post('me/time-reports/:id/certification-code')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Email yourself a one-time code to certify a time report',
    description:
      'A 6-digit code valid 15 minutes and for 5 tries; a new code replaces the last, but not within 60 seconds of it (429 CERTIFICATION_CODE_RECENTLY_SENT). ' +
      'Someone else\'s report or an unknown id → 404 TIME_REPORT_NOT_FOUND; a report not open → 409 TIME_REPORT_NOT_OPEN; no hours → 409 TIME_REPORT_EMPTY.',
  })
  @ApiAcceptedResponse({ type: CertificationCodeSentDto })
  @ApiErrors(400, 401, 404, 409, 429)
  sendCode(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<CertificationCodeSentDto> {
    return this.reports.sendCode(user, id);
  }

  @Post('me/time-reports/:id/certify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Certify your time report with the code from the email',
    description:
      'The report is frozen as certified (what it said is kept line by line); attendance changed later makes a correction report. ' +
      'Wrong code → 400 CERTIFICATION_CODE_INVALID with `details.triesLeft`; no code asked for → 400 CERTIFICATION_CODE_INVALID; expired → 409 CERTIFICATION_CODE_EXPIRED; ' +
      'the 5th wrong code → 429 CERTIFICATION_CODE_TRIES_USED (ask for a new one); already certified → 409 TIME_REPORT_NOT_OPEN; someone else\'s → 404. Audit-logged.',
  })
  @ApiOkResponse({ type: TimeReportDto })
  @ApiErrors(400, 401, 404, 409, 429)
  certify(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: CertifyTimeReportDto): Promise<TimeReportDto> {
    return this.reports.certify(user, id, dto.code);
  }

  @Get('organisations/:id/time-reports')
  @ApiOperation({ summary: 'Time reports of the organisation\'s participants (org admin of that organisation, coordinator)', description: 'Other organisations\' admins and employees → 403.' })
  @ApiOkResponse({ type: TimeReportPageDto })
  @ApiErrors(400, 401, 403, 404)
  ofOrganisation(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() query: TimeReportQueryDto): Promise<Page<TimeReportDto>> {
    return this.reports.ofOrganisation(user, id, query);
  }

  @Post('organisations/:id/time-reports/:reportId/cosign')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Co-sign a certified time report (org admin of the participation\'s organisation, when the programme asks: timeCosign)',
    description:
      'Not an admin of this organisation → 403; a report of another organisation or unknown → 404 TIME_REPORT_NOT_FOUND; programme without timeCosign → 409 TIME_REPORT_COSIGN_NOT_REQUIRED; ' +
      'not certified (open, already co-signed, corrected) → 409 TIME_REPORT_NOT_CERTIFIED. Audit-logged.',
  })
  @ApiOkResponse({ type: TimeReportDto })
  @ApiErrors(400, 401, 403, 404, 409)
  cosign(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @UuidParam('reportId') reportId: string): Promise<TimeReportDto> {
    return this.reports.cosign(user, id, reportId);
  }
}
