import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { UuidParam } from '../common/params.js';
import { InterventionDto, LinkOfferingDto, UpdateInterventionDto } from './dto/intervention.dto.js';
import { InterventionsService } from './interventions.service.js';

@ApiTags('programmes')
@ApiBearerAuth()
@Controller('interventions')
export class InterventionsController {
  constructor(private readonly interventions: InterventionsService) {}

  @Get(':id')
  @ApiOperation({ summary: 'One intervention', description: 'Coordinators; org admins and provider staff when it concerns them (403 otherwise).' })
  @ApiOkResponse({ type: InterventionDto })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<InterventionDto> {
    return this.interventions.get(user, id);
  }

  @Patch(':id')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Change an intervention (coordinator)',
    description: 'Any field of the create body, while proposed or approved (cancelled → 409 INTERVENTION_CANCELLED); the same checks as on create, on the result.',
  })
  @ApiOkResponse({ type: InterventionDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(@UuidParam('id') id: string, @Body() dto: UpdateInterventionDto): Promise<InterventionDto> {
    return this.interventions.update(id, dto);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Approve a proposed intervention (coordinator)', description: 'proposed → approved; otherwise 409 INTERVENTION_WRONG_STATE.' })
  @ApiOkResponse({ type: InterventionDto })
  @ApiErrors(400, 401, 403, 404, 409)
  approve(@UuidParam('id') id: string): Promise<InterventionDto> {
    return this.interventions.approve(id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Cancel an intervention (coordinator)', description: 'proposed or approved → cancelled; already cancelled → 409 INTERVENTION_WRONG_STATE. Linked offerings stay linked; no new ones can be.' })
  @ApiOkResponse({ type: InterventionDto })
  @ApiErrors(400, 401, 403, 404, 409)
  cancel(@UuidParam('id') id: string): Promise<InterventionDto> {
    return this.interventions.cancel(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Delete a proposed intervention (coordinator)', description: 'Only while proposed (409 INTERVENTION_NOT_PROPOSED otherwise: cancel it instead).' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 401, 403, 404, 409)
  async remove(@UuidParam('id') id: string): Promise<void> {
    await this.interventions.remove(id);
  }

  @Post(':id/offerings')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Link an offering whose sessions deliver the intervention (coordinator)',
    description: 'Unknown offering → 404 OFFERING_NOT_FOUND; an offering already linked (here or to another intervention) → 409 OFFERING_ALREADY_LINKED; a cancelled intervention → 409 INTERVENTION_CANCELLED. Accepts Idempotency-Key.',
  })
  @ApiCreatedResponse({ type: InterventionDto })
  @ApiErrors(400, 401, 403, 404, 409)
  link(@UuidParam('id') id: string, @Body() dto: LinkOfferingDto): Promise<InterventionDto> {
    return this.interventions.linkOffering(id, dto.offeringId);
  }

  @Delete(':id/offerings/:offeringId')
  @HttpCode(204)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Unlink an offering (coordinator)', description: 'Not linked to this intervention → 404 OFFERING_NOT_LINKED.' })
  @ApiNoContentResponse({ description: 'Unlinked' })
  @ApiErrors(400, 401, 403, 404)
  async unlink(@UuidParam('id') id: string, @UuidParam('offeringId') offeringId: string): Promise<void> {
    await this.interventions.unlinkOffering(id, offeringId);
  }
}
