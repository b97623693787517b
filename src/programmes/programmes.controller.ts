import { Body, Controller, Get, Patch, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators.js';
import { ApiErrors, ErrorResponseDto } from '../common/openapi.js';
import { PaginationQueryDto, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { CreateInterventionDto, DraftFromRoundDto, DraftResultDto, InterventionDto, InterventionPageDto } from './dto/intervention.dto.js';
import { ProgrammePlanDto, ProgrammePlanQueryDto } from './dto/plan.dto.js';
import { CreateProgrammeDto, ProgrammeDto, ProgrammePageDto, UpdateProgrammeDto } from './dto/programme.dto.js';
import { ProgressDto } from './dto/progress.dto.js';
import { InterventionsService } from './interventions.service.js';
import { planHtml, planXlsx } from './plan-render.js';
import { PlanPdfRenderer } from './plan-pdf.js';
import { ProgrammeDraftService } from './programme-draft.service.js';
import { ProgrammePlanService } from './programme-plan.service.js';
import { ProgrammeProgressService } from './programme-progress.service.js';
import { ProgrammesService } from './programmes.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('programmes')
@ApiBearerAuth()
@Controller('programmes')
export class ProgrammesController {
  constructor(
    private readonly programmes: ProgrammesService,
    private readonly interventions: InterventionsService,
    private readonly drafts: ProgrammeDraftService,
    private readonly progressService: ProgrammeProgressService,
    private readonly plans: ProgrammePlanService,
    private readonly pdf: PlanPdfRenderer,
  ) {}

  @Post()
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Create a programme (coordinator)',
    description: 'Title, period, funding source and budget; `unitCostPerHourSek` values participants\' time as co-financing; `esfReporting`, `timeCosign` and `finalPaymentYear` are for ESF reporting. endsOn before startsOn → 400 naming endsOn. Accepts Idempotency-Key.',
  })
  @ApiCreatedResponse({ type: ProgrammeDto })
  @ApiErrors(400, 401, 403)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateProgrammeDto): Promise<ProgrammeDto> {
    return this.programmes.create(user, dto);
  }

  @Get()
  @ApiOperation({
    summary: 'Programmes: all for coordinators; for org admins and provider staff those with interventions that concern them',
    description: 'An intervention concerns provider staff when their provider delivers it (as its provider or through a linked offering), and org admins when it is in the county of an organisation they administer. Employees: 403.',
  })
  @ApiOkResponse({ type: ProgrammePageDto })
  @ApiErrors(400, 401, 403)
  list(@CurrentUser() user: AuthUser, @Query() query: PaginationQueryDto): Promise<Page<ProgrammeDto>> {
    return this.programmes.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One programme', description: '`interventions` counts those you may see. 403 when none concerns a non-coordinator.' })
  @ApiOkResponse({ type: ProgrammeDto })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<ProgrammeDto> {
    return this.programmes.get(user, id);
  }

  @Patch(':id')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Change a programme (coordinator)', description: 'Any field of the create body; the resulting period must not end before it starts (400 naming endsOn).' })
  @ApiOkResponse({ type: ProgrammeDto })
  @ApiErrors(400, 401, 403, 404)
  update(@UuidParam('id') id: string, @Body() dto: UpdateProgrammeDto): Promise<ProgrammeDto> {
    return this.programmes.update(id, dto);
  }

  @Post(':id/draft-from-round')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Draft proposed interventions from a needs round\'s coverage (coordinator)',
    description:
      'One proposed intervention per theme and county where the round\'s coverage (GET /needs-rounds/:id/coverage) shows more people in need than free seats: ' +
      'planned participants = people − free seats; form = the format most people chose first; women and men in the statements\' proportions; ' +
      'matching\'s best offering\'s provider as a suggestion, or none (to procure); cost = participants × hours × cost per participant hour for the form ' +
      '(PROGRAMME_HOURS_PER_PARTICIPANT, PROGRAMME_COST_PER_HOUR_SEK). Each proposal has an `explanation` naming the coverage cell and the statements. ' +
      'Idempotent per programme and round: the first run answers 201 with `created: true`; later runs answer 200 with `created: false` and the first run\'s proposals that still exist, and add nothing. Unknown round → 404 NEEDS_ROUND_NOT_FOUND.',
  })
  @ApiCreatedResponse({ type: DraftResultDto, description: 'Drafted now' })
  @ApiOkResponse({ type: DraftResultDto, description: 'Already drafted from this round: the proposals of that run' })
  @ApiErrors(400, 401, 403, 404)
  async draftFromRound(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: DraftFromRoundDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<DraftResultDto> {
    const result = await this.drafts.draft(user, id, dto.roundId);
    if (!result.created) res.status(200);
    return result;
  }

  @Get(':id/interventions')
  @ApiOperation({ summary: 'The programme\'s interventions you may see, oldest first', description: 'Coordinators: all (cancelled ones too); org admins and provider staff: those that concern them.' })
  @ApiOkResponse({ type: InterventionPageDto })
  @ApiErrors(400, 401, 403, 404)
  listInterventions(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() query: PaginationQueryDto): Promise<Page<InterventionDto>> {
    return this.interventions.list(user, id, query);
  }

  @Post(':id/interventions')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Add an intervention (coordinator); it starts as proposed',
    description: 'Unknown themeCode, format, counties or providerId, endsOn before startsOn, or plannedWomen + plannedMen above plannedParticipants → 400 naming each field; nothing is written. Accepts Idempotency-Key.',
  })
  @ApiCreatedResponse({ type: InterventionDto })
  @ApiErrors(400, 401, 403, 404)
  createIntervention(@UuidParam('id') id: string, @Body() dto: CreateInterventionDto): Promise<InterventionDto> {
    return this.interventions.create(id, dto);
  }

  @Get(':id/progress')
  @ApiOperation({
    summary: 'Progress against the plan, per intervention and in total',
    description:
      'Planned vs booked vs attended people (by gender, cells under 5 as "<5"), participant hours delivered (the hours of the sessions each person attended), sessions held, ' +
      'the evaluation response rate and the mean of the course evaluation\'s overall question (PROGRAMME_OVERALL_QUESTION_KEY) from 5 answers, cost to date by the plan\'s cost per participant hour, and the deviation from the plan. ' +
      'Org admins and provider staff see the interventions that concern them, and totals over those.',
  })
  @ApiOkResponse({ type: ProgressDto })
  @ApiErrors(400, 401, 403, 404)
  progress(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<ProgressDto> {
    return this.progressService.progress(user, id);
  }

  @Get(':id/plan')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'The programme document in Swedish (coordinator); ?format=json|xlsx|html|pdf',
    description:
      'Five parts: 1) interventions, 2) organisation and financial plan (budget per intervention and form, co-financing = planned participant hours × unit cost), ' +
      '3) gender-equality plan, 4) accessibility plan, 5) marketing; answers of organisations from the round the programme was last drafted from. ' +
      'xlsx: a sheet per part; html: a printable, accessible page; pdf: that page printed by headless Chromium (503 PROGRAMME_PDF_UNAVAILABLE without it).',
  })
  @ApiProduces('application/json', XLSX, 'text/html', 'application/pdf')
  @ApiOkResponse({ type: ProgrammePlanDto })
  @ApiResponse({ status: 503, description: 'PDF asked for and no headless Chromium on the server', type: ErrorResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async plan(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: ProgrammePlanQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<ProgrammePlanDto | StreamableFile> {
    const plan = await this.plans.plan(user, id);
    const format = query.format ?? 'json';
    if (format === 'json') return plan;
    const filename = `programdokument-${plan.generatedAt.slice(0, 10)}`;
    if (format === 'html') return new StreamableFile(Buffer.from(planHtml(plan), 'utf8'), { type: 'text/html; charset=utf-8' });
    if (format === 'xlsx') {
      res.header('Content-Disposition', `attachment; filename="${filename}.xlsx"`);
      return new StreamableFile(await planXlsx(plan), { type: XLSX });
    }
    const pdf = await this.pdf.render(planHtml(plan));
    res.header('Content-Disposition', `attachment; filename="${filename}.pdf"`);
    return new StreamableFile(pdf, { type: 'application/pdf' });
  }
}
