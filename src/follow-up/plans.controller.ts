import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { PageOf, PaginationQueryDto, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { CreatePlanDto, PlanDto } from './dto/plan.dto.js';
import { PlansService } from './plans.service.js';

@ApiTags('follow-up')
@ApiBearerAuth()
@Roles('coordinator')
@Controller('follow-up-plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Post()
  @ApiOperation({
    summary: 'Set the follow-up plan for an offering, or the default plan (coordinator)',
    description:
      'Either `questionnaireId` with `sendOffsets` (ISO 8601 durations after the session ends, as short as seconds) or `steps` with a ' +
      'questionnaire per send. Without `offeringId` the plan is the default for all offerings; an offering\'s own plan overrides it. ' +
      'A new plan replaces the active one of its scope; invitations already created keep their times. Accepts Idempotency-Key.',
  })
  @ApiCreatedResponse({ type: PlanDto })
  @ApiErrors(400, 401, 403)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreatePlanDto): Promise<PlanDto> {
    return this.plans.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The plans in use: the default and per-offering plans (coordinator)' })
  @ApiOkResponse({ type: PageOf(PlanDto) })
  @ApiErrors(400, 401, 403)
  list(@Query() page: PaginationQueryDto): Promise<Page<PlanDto>> {
    return this.plans.list(page);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One follow-up plan (coordinator)' })
  @ApiOkResponse({ type: PlanDto })
  @ApiErrors(400, 401, 403, 404)
  get(@UuidParam('id') id: string): Promise<PlanDto> {
    return this.plans.get(id);
  }
}
