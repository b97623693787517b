import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { PageOf, PaginationQueryDto, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { CreateQuestionnaireDto, QuestionnaireDto } from './dto/questionnaire.dto.js';
import { QuestionnairesService } from './questionnaires.service.js';

@ApiTags('follow-up')
@ApiBearerAuth()
@Roles('coordinator')
@Controller('questionnaires')
export class QuestionnairesController {
  constructor(private readonly questionnaires: QuestionnairesService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a questionnaire (coordinator)',
    description:
      'Question types: likert5 (1–5), single_choice and multi_choice (with options), text (at most 2000 characters), number (min/max), nps (0–10). ' +
      'Keys name the answers and the form fields. Accepts Idempotency-Key.',
  })
  @ApiCreatedResponse({ type: QuestionnaireDto })
  @ApiErrors(400, 401, 403)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateQuestionnaireDto): Promise<QuestionnaireDto> {
    return this.questionnaires.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Current questionnaires (coordinator), including the two shipped with the system' })
  @ApiOkResponse({ type: PageOf(QuestionnaireDto) })
  @ApiErrors(400, 401, 403)
  list(@Query() page: PaginationQueryDto): Promise<Page<QuestionnaireDto>> {
    return this.questionnaires.list(page);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One questionnaire version (coordinator)' })
  @ApiOkResponse({ type: QuestionnaireDto })
  @ApiErrors(400, 401, 403, 404)
  get(@UuidParam('id') id: string): Promise<QuestionnaireDto> {
    return this.questionnaires.get(id);
  }

  @Put(':id')
  @ApiOperation({
    summary: 'Change a questionnaire (coordinator); an answered one gets a new version with a new id',
    description:
      'Unanswered questionnaires change in place. Answered ones never change: the edit creates a new version (new id, `previousId` pointing back) ' +
      'and plans that used the old version use the new one. Editing a replaced version is 409.',
  })
  @ApiOkResponse({ type: QuestionnaireDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: CreateQuestionnaireDto): Promise<QuestionnaireDto> {
    return this.questionnaires.update(user, id, dto);
  }
}
