import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { ApiKeyAccess, CurrentUser, MaybeUser, OptionalAuth, Public, Roles } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { PageOf, PaginationQueryDto, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { InvitationDto } from '../invitations/dto/invitation.dto.js';
import { OfferingDto, OfferingPageDto, ProviderOfferingsQueryDto } from './dto/offering.dto.js';
import { CreateProviderDto, InviteStaffDto, ProviderDto, StaffMemberDto, UpdateProviderDto } from './dto/provider.dto.js';
import { OfferingsService } from './offerings.service.js';
import { ProviderStaffService } from './provider-staff.service.js';
import { ProvidersService } from './providers.service.js';

class ProviderPageDto {
  @ApiProperty({ type: ProviderDto, isArray: true })
  items: ProviderDto[];

  @ApiProperty({ example: 13 })
  total: number;
}

@ApiTags('catalogue')
@ApiBearerAuth()
@Controller('providers')
export class ProvidersController {
  constructor(
    private readonly providers: ProvidersService,
    private readonly staff: ProviderStaffService,
    private readonly offerings: OfferingsService,
  ) {}

  @Post()
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Register a course provider (coordinator)',
    description: 'kind: university, study_association, folk_high_school or other. The organisation number is validated (Luhn). A name already registered → 409.',
  })
  @ApiCreatedResponse({ type: ProviderDto })
  @ApiErrors(400, 401, 403, 409)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateProviderDto): Promise<ProviderDto> {
    return this.providers.create(user, dto);
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'All providers, by name (public)' })
  @ApiOkResponse({ type: ProviderPageDto })
  @ApiErrors(400)
  list(@Query() query: PaginationQueryDto): Promise<Page<ProviderDto>> {
    return this.providers.list(query);
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'One provider (public)' })
  @ApiOkResponse({ type: ProviderDto })
  @ApiErrors(400, 404)
  get(@UuidParam('id') id: string): Promise<ProviderDto> {
    return this.providers.get(id);
  }

  @Patch(':id')
  @ApiKeyAccess()
  @ApiOperation({ summary: 'Change a provider\'s details (coordinator, or that provider\'s staff)' })
  @ApiOkResponse({ type: ProviderDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: UpdateProviderDto): Promise<ProviderDto> {
    return this.providers.update(user, id, dto);
  }

  @Post(':id/staff')
  @ApiOperation({
    summary: 'Invite someone to the provider\'s staff by email (coordinator, or that provider\'s staff)',
    description:
      'Sends the same single-use invitation link as organisation invitations (role provider_staff), accepted at /invite/:token. ' +
      'Inviting again voids the earlier link; someone already on the staff → 409.',
  })
  @ApiCreatedResponse({ type: InvitationDto })
  @ApiErrors(400, 401, 403, 404, 409)
  invite(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: InviteStaffDto): Promise<InvitationDto> {
    return this.staff.invite(user, id, dto);
  }

  @Get(':id/staff')
  @ApiOperation({ summary: 'The provider\'s staff (coordinator, or that provider\'s staff)' })
  @ApiOkResponse({ type: PageOf(StaffMemberDto) })
  @ApiErrors(400, 401, 403, 404)
  listStaff(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() page: PaginationQueryDto): Promise<Page<StaffMemberDto>> {
    return this.staff.list(user, id, page);
  }

  @Get(':id/staff-invitations')
  @ApiOperation({ summary: 'Open staff invitations (coordinator, or that provider\'s staff)' })
  @ApiOkResponse({ type: PageOf(InvitationDto) })
  @ApiErrors(400, 401, 403, 404)
  listStaffInvitations(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() page: PaginationQueryDto): Promise<Page<InvitationDto>> {
    return this.staff.listInvitations(user, id, page);
  }

  @Delete(':id/staff-invitations/:invitationId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw an open staff invitation (coordinator, or that provider\'s staff)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  voidStaffInvitation(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('invitationId') invitationId: string,
  ): Promise<void> {
    return this.staff.voidInvitation(user, id, invitationId);
  }

  @Delete(':id/staff/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove someone from the staff, or leave it yourself (coordinator, or that provider\'s staff)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  removeStaff(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @UuidParam('userId') userId: string): Promise<void> {
    return this.staff.remove(user, id, userId);
  }

  @OptionalAuth()
  @ApiKeyAccess()
  @Get(':id/offerings')
  @ApiOperation({
    summary: 'A provider\'s offerings, newest first',
    description: 'Everyone sees the published ones; the provider\'s staff and coordinators also drafts and archived ones (filter with status).',
  })
  @ApiOkResponse({ type: OfferingPageDto })
  @ApiErrors(400, 401, 404)
  listOfferings(
    @MaybeUser() user: AuthUser | undefined,
    @UuidParam('id') id: string,
    @Query() query: ProviderOfferingsQueryDto,
  ): Promise<Page<OfferingDto>> {
    return this.offerings.listForProvider(user, id, query);
  }
}
