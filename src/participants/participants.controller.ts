import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import type { Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { download, respond, XLSX } from './download.js';
import { CofinancingDto, CofinancingQueryDto, ExportFormatQueryDto, IndicatorsDto } from './dto/reports.dto.js';
import { EndEsfParticipationDto, EsfParticipantDto, EsfParticipantPageDto, EsfRegisterQueryDto } from './dto/register.dto.js';
import { MonthlyFileDto, MonthlyFileListDto, MonthlyFileQueryDto } from './dto/monthly-file.dto.js';
import { MonthlyFileService } from './monthly-file.service.js';
import { ProgrammeReportsService } from './programme-reports.service.js';
import { RegisterService } from './register.service.js';

@ApiTags('esf-participants')
@ApiBearerAuth()
@Controller('programmes')
export class ParticipantsController {
  constructor(
    private readonly register: RegisterService,
    private readonly reports: ProgrammeReportsService,
    private readonly files: MonthlyFileService,
  ) {}

  @Get(':id/participants/monthly-file')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'The monthly participant file for the statistics authority (coordinator): CSV',
    description:
      'The month\'s starts (start date) and ends (end date) in date order, starts before ends on a day, with identity numbers in clear (the only place they leave the system; empty where none is given), ' +
      'as `Personnummer, Händelse (Start|Slut), Datum, Organisationsnummer`. Every download is audit-logged (esf_monthly_file.downloaded). A future month → 400.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV (UTF-8 with BOM)', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiErrors(400, 401, 403, 404, 409)
  async monthlyFile(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: MonthlyFileQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<string> {
    const csv = await this.files.download(user, id, query.month);
    res.header('Cache-Control', 'no-store');
    return download(res, csv, 'csv', `deltagarfil-${query.month}`) as string;
  }

  @Get(':id/participants/monthly-files')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Each month\'s participant file and whether it is sent (coordinator)',
    description: 'From the programme\'s first month to the current one: starts, ends, identity numbers missing, due date, and not_sent / sent / resend (sent, but that month or an earlier one changed since).',
  })
  @ApiOkResponse({ type: MonthlyFileListDto })
  @ApiErrors(400, 401, 403, 404, 409)
  monthlyFiles(@UuidParam('id') id: string): Promise<MonthlyFileListDto> {
    return this.files.list(id);
  }

  @Post(':id/participants/monthly-files/:month/sent')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Record that a month\'s file was sent to the statistics authority (coordinator)',
    description:
      'Records the files as they stand now (a keyed hash of every row up to that month). The same state again (two sends at once, or nothing changed) → 409 MONTHLY_FILE_ALREADY_SENT; ' +
      'a month not over → 409 MONTHLY_FILE_MONTH_NOT_OVER; month not YYYY-MM → 400. Audit-logged.',
  })
  @ApiParam({ name: 'month', example: '2027-01' })
  @ApiCreatedResponse({ type: MonthlyFileDto })
  @ApiErrors(400, 401, 403, 404, 409)
  markSent(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Param('month') month: string): Promise<MonthlyFileDto> {
    return this.files.markSent(user, id, month);
  }

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

  @Get(':id/cofinancing')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Co-financing from certified participant time, per organisation and month (coordinator); ?format=json|csv|xlsx',
    description:
      'Certified hours (of current reports certified by the participant, and co-signed when the programme asks for it), the hours not yet certified, and the value: ' +
      'certified hours × unitCostPerHourSek. A correction report counts once certified again.',
  })
  @ApiProduces('application/json', 'text/csv', XLSX)
  @ApiOkResponse({ type: CofinancingDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async cofinancing(
    @UuidParam('id') id: string,
    @Query() query: CofinancingQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<CofinancingDto | StreamableFile | string> {
    return respond(res, await this.reports.cofinancing(id, query.month), query.format, (r, f) => this.reports.cofinancingExport(r, f), `medfinansiering-${id}`);
  }

  @Get(':id/indicators')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Participants by gender, age band, education, county, municipality and disability (coordinator); ?format=json|csv|xlsx',
    description:
      'From the participants\' profiles (age at the start; disability only from its separate optional answer, counted and never listed). ' +
      'Every cell under 5 is "<5" and, where a dimension has exactly one such cell, its next smallest cell is "x" (as the needs report does).',
  })
  @ApiProduces('application/json', 'text/csv', XLSX)
  @ApiOkResponse({ type: IndicatorsDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async indicators(
    @UuidParam('id') id: string,
    @Query() query: ExportFormatQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<IndicatorsDto | StreamableFile | string> {
    return respond(res, await this.reports.indicators(id), query.format, (r, f) => this.reports.indicatorsExport(r, f), `indikatorer-${id}`);
  }
}
