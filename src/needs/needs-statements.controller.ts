import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import type { Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { AssessmentDto, PutAssessmentDto } from './dto/assessment.dto.js';
import { CreateStatementDto, StatementDto, StatementPageDto, StatementQueryDto, UpdateStatementDto } from './dto/statement.dto.js';
import { NeedsAssessmentsService } from './needs-assessments.service.js';
import { NeedsStatementsService } from './needs-statements.service.js';

const WHILE_OPEN = 'Only while the round is open and within opensAt..closesAt: otherwise 409 NEEDS_ROUND_NOT_OPEN or NEEDS_ROUND_OUTSIDE_DATES.';

@ApiTags('needs')
@ApiBearerAuth()
@Controller('needs-rounds/:id')
export class NeedsStatementsController {
  constructor(
    private readonly statements: NeedsStatementsService,
    private readonly assessments: NeedsAssessmentsService,
  ) {}

  @Post('statements')
  @ApiOperation({
    summary: 'State a need (org_admin for the organisation; an employee for themselves with people = 1)',
    description: `Unknown theme, format, municipality or accessibility codes, people < 1, or women + men + otherGender > people → 400 naming the field. The organisation must be invited (403 NEEDS_ORGANISATION_NOT_INVITED). ${WHILE_OPEN} Accepts Idempotency-Key.`,
  })
  @ApiCreatedResponse({ type: StatementDto })
  @ApiErrors(400, 401, 403, 404, 409)
  create(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: CreateStatementDto): Promise<StatementDto> {
    return this.statements.create(user, id, dto);
  }

  @Get('statements')
  @ApiOperation({ summary: 'Statements: all for coordinators; your organisations\' for org admins; your own for employees' })
  @ApiOkResponse({ type: StatementPageDto })
  @ApiErrors(400, 401, 403, 404)
  list(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() query: StatementQueryDto): Promise<Page<StatementDto>> {
    return this.statements.list(user, id, query);
  }

  @Patch('statements/:statementId')
  @ApiOperation({ summary: 'Change a statement (the organisation\'s admins; an employee their own)', description: WHILE_OPEN })
  @ApiOkResponse({ type: StatementDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('statementId') statementId: string,
    @Body() dto: UpdateStatementDto,
  ): Promise<StatementDto> {
    return this.statements.update(user, id, statementId, dto);
  }

  @Delete('statements/:statementId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a statement (the organisation\'s admins; an employee their own)', description: WHILE_OPEN })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404, 409)
  remove(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @UuidParam('statementId') statementId: string): Promise<void> {
    return this.statements.remove(user, id, statementId);
  }

  @Put('assessments/:organisationId')
  @ApiOperation({
    summary: 'Save the organisation\'s answers on Q5–Q8 and Q10–Q12 (org_admin)',
    description: `Replaces earlier answers; sections left out count as unanswered. Codes are listed in the schema (PutAssessmentDto). ${WHILE_OPEN}`,
  })
  @ApiOkResponse({ type: AssessmentDto })
  @ApiErrors(400, 401, 403, 404, 409)
  put(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('organisationId') organisationId: string,
    @Body() dto: PutAssessmentDto,
  ): Promise<AssessmentDto> {
    return this.assessments.put(user, id, organisationId, dto);
  }

  @Get('assessments/:organisationId')
  @ApiOperation({ summary: 'The organisation\'s answers (org_admin, coordinator)' })
  @ApiOkResponse({ type: AssessmentDto })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @UuidParam('organisationId') organisationId: string): Promise<AssessmentDto> {
    return this.assessments.get(user, id, organisationId);
  }
}
