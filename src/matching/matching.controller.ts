import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { PaginationQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { CoverageQueryDto, CoverageReportDto, ProviderDemandDto, ProviderDemandQueryDto } from './dto/coverage.dto.js';
import { RecommendationPageDto, RecommendationsQueryDto, StatementMatchesDto } from './dto/matching.dto.js';
import { CoverageService } from './coverage.service.js';
import { RecommendationsService } from './recommendations.service.js';

@ApiTags('matching')
@ApiBearerAuth()
@Controller()
export class MatchingController {
  constructor(
    private readonly recommendations: RecommendationsService,
    private readonly coverageService: CoverageService,
  ) {}

  @Get('me/recommendations')
  @ApiOperation({
    summary: 'Bookable sessions ranked against my needs, with the reasons',
    description:
      'From the caller\'s own statements and their organisations\' statements in open rounds and the most recently closed one, ' +
      'with the caller\'s profile accessibility needs added (every one must be provided). Only published offerings and sessions that are ' +
      'scheduled, not started and open for booking now; full sessions stay (both waitlist modes take people) with the reason "Fullbokad – kö finns". ' +
      'One item per session, its score the best over the statements it answers; ranked by score, then start.',
  })
  @ApiOkResponse({ type: RecommendationPageDto })
  @ApiErrors(400, 401)
  me(@CurrentUser() user: AuthUser, @Query() query: RecommendationsQueryDto): Promise<RecommendationPageDto> {
    return this.recommendations.forMe(user, query);
  }

  @Get('needs-rounds/:id/statements/:statementId/matches')
  @ApiOperation({
    summary: 'Sessions ranked against one statement, and the excluded ones with why (org admin, the person, coordinator)',
    description:
      'Bookable sessions of published offerings sharing the statement\'s theme (or a related one). `items` are ranked by the model; ' +
      '`excluded` lists sessions the model excludes (e.g. "Saknar: Hörslinga"), best would-be fit first, with the same limit and offset.',
  })
  @ApiOkResponse({ type: StatementMatchesDto })
  @ApiErrors(400, 401, 403, 404)
  matches(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('statementId') statementId: string,
    @Query() query: PaginationQueryDto,
  ): Promise<StatementMatchesDto> {
    return this.recommendations.statementMatches(user, id, statementId, query.limit, query.offset);
  }

  @Get('needs-rounds/:id/coverage')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Demand against supply per theme and county, gaps first (coordinator); ?format=csv|xlsx',
    description:
      'People in need per theme and county (where the need is: the stated municipality, else the organisation\'s), free seats in upcoming ' +
      'scheduled sessions of published offerings with the theme — in-person sessions in the county plus every online session of the theme, ' +
      'which counts in full for every county — the gap, and the 3 best-fitting offerings. Demand with no free seat first, then the largest gap. ' +
      '`format=xlsx` gives a workbook, `format=csv` a CSV (Swedish headings).',
  })
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ type: CoverageReportDto })
  @ApiErrors(400, 401, 403, 404)
  async coverage(
    @UuidParam('id') id: string,
    @Query() query: CoverageQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<CoverageReportDto | StreamableFile> {
    const result = await this.coverageService.export(id, query);
    if ('json' in result) return result.json;
    res.header('Content-Disposition', `attachment; filename="${result.filename}"`);
    return new StreamableFile(result.body, { type: result.contentType });
  }

  @Get('providers/:id/demand')
  @ApiOperation({
    summary: 'Demand per theme and county for a provider to plan offerings (its staff, coordinators)',
    description:
      'People in need per theme and county in a round (default: the most recently opened), every cell under 5 as "<5", no organisation names; ' +
      'the provider\'s own themes first, then all other themes, with the free seats all providers offer there (county or online).',
  })
  @ApiOkResponse({ type: ProviderDemandDto })
  @ApiErrors(400, 401, 403, 404)
  demand(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() query: ProviderDemandQueryDto): Promise<ProviderDemandDto> {
    return this.coverageService.providerDemand(user, id, query);
  }
}
