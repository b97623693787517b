import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { UuidParam } from '../common/params.js';
import { EvaluationResultsDto, OfferingResultsQueryDto, ResultsQueryDto } from './dto/results.dto.js';
import { resultsCsv, resultsXlsx } from './results-export.js';
import { ResultsService } from './results.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends results as JSON, or as a CSV / xlsx download. */
async function respond(res: FastifyReply, results: EvaluationResultsDto, format: string | undefined, name: string): Promise<EvaluationResultsDto | StreamableFile | string> {
  if (format === 'csv') {
    res.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${name}.csv"`);
    return resultsCsv(results);
  }
  if (format === 'xlsx') {
    return new StreamableFile(await resultsXlsx(results), { type: XLSX, disposition: `attachment; filename="${name}.xlsx"` });
  }
  return results;
}

@ApiTags('follow-up')
@ApiBearerAuth()
@Controller()
export class ResultsController {
  constructor(private readonly results: ResultsService) {}

  @Get('offerings/:id/evaluation-results')
  @ApiOperation({
    summary: 'Evaluation results of an offering (coordinator, that provider\'s staff)',
    description:
      'Response rate, per-question distributions and means, free-text answers in alphabetical order. A questionnaire with fewer than 5 ' +
      'responses shows only its counts. `?format=csv|xlsx` downloads the same as a table.',
  })
  @ApiProduces('application/json', 'text/csv', XLSX)
  @ApiOkResponse({ type: EvaluationResultsDto })
  @ApiErrors(400, 401, 403, 404)
  async forOffering(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: OfferingResultsQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<EvaluationResultsDto | StreamableFile | string> {
    return respond(res, await this.results.forOffering(user, id, query.questionnaireId), query.format, `evaluation-${id}`);
  }

  @Get('evaluation-results')
  @ApiOperation({
    summary: 'Evaluation results per provider, theme or organisation (coordinator; provider staff for their own provider)',
    description: 'Filters combine. Provider staff must give their own `providerId`; results per organisation are for coordinators. `?format=csv|xlsx` downloads.',
  })
  @ApiProduces('application/json', 'text/csv', XLSX)
  @ApiOkResponse({ type: EvaluationResultsDto })
  @ApiErrors(400, 401, 403, 404)
  async query(
    @CurrentUser() user: AuthUser,
    @Query() query: ResultsQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<EvaluationResultsDto | StreamableFile | string> {
    return respond(res, await this.results.query(user, query), query.format, 'evaluation-results');
  }
}
