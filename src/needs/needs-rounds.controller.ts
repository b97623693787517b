import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { PaginationQueryDto, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { RoundComparisonDto } from './dto/report.dto.js';
import { CompareQueryDto, CreateRoundDto, RoundDto, RoundPageDto, UpdateRoundDto } from './dto/round.dto.js';
import { NeedsReportService } from './needs-report.service.js';
import { NeedsRoundsService } from './needs-rounds.service.js';

@ApiTags('needs')
@ApiBearerAuth()
@Controller('needs-rounds')
export class NeedsRoundsController {
  constructor(
    private readonly rounds: NeedsRoundsService,
    private readonly reports: NeedsReportService,
  ) {}

  @Post()
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Create a needs-mapping round (coordinator); it starts as draft',
    description: '`invite` holds exactly one of `all: true`, `counties`, `sectors`, `organisationIds`; it is resolved to organisations when the round opens. Accepts Idempotency-Key.',
  })
  @ApiCreatedResponse({ type: RoundDto })
  @ApiErrors(400, 401, 403)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateRoundDto): Promise<RoundDto> {
    return this.rounds.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Rounds: all for coordinators; those your organisations are invited to; opened rounds for provider staff' })
  @ApiOkResponse({ type: RoundPageDto })
  @ApiErrors(400, 401)
  list(@CurrentUser() user: AuthUser, @Query() query: PaginationQueryDto): Promise<Page<RoundDto>> {
    return this.rounds.list(user, query);
  }

  @Get('compare')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Change in demand per theme between two rounds (coordinator)', description: '`a` is the earlier round, `b` the later.' })
  @ApiOkResponse({ type: RoundComparisonDto })
  @ApiErrors(400, 401, 403, 404)
  compare(@Query() query: CompareQueryDto): Promise<RoundComparisonDto> {
    return this.reports.compare(query.a, query.b);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One round (coordinators, members of invited organisations, provider staff once opened)' })
  @ApiOkResponse({ type: RoundDto })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<RoundDto> {
    return this.rounds.get(user, id);
  }

  @Patch(':id')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Change a round (coordinator)',
    description: 'Title, description and dates while draft or open (e.g. extend closesAt); `invite` only while draft (409 NEEDS_ROUND_INVITE_LOCKED); a closed round 409.',
  })
  @ApiOkResponse({ type: RoundDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: UpdateRoundDto): Promise<RoundDto> {
    return this.rounds.update(user, id, dto);
  }

  @Post(':id/open')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Open a draft round (coordinator): invites organisations and emails their admins',
    description: 'Resolves the invitation scope to organisations now, and emails each invited organisation\'s admins (Swedish, or English for English users) a link to take part, sent from opensAt. Not a draft → 409 NEEDS_ROUND_WRONG_STATE; closesAt passed → 409 NEEDS_ROUND_CLOSES_IN_PAST.',
  })
  @ApiOkResponse({ type: RoundDto })
  @ApiErrors(400, 401, 403, 404, 409)
  open(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<RoundDto> {
    return this.rounds.open(user, id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Close an open round (coordinator); no more statements or assessments' })
  @ApiOkResponse({ type: RoundDto })
  @ApiErrors(400, 401, 403, 404, 409)
  close(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<RoundDto> {
    return this.rounds.close(user, id);
  }
}
