import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { PageOf, PaginationQueryDto, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { InvitationDto } from '../invitations/dto/invitation.dto.js';
import { InviteMemberDto, MemberDto, UpdateMemberDto } from './dto/member.dto.js';
import {
  CreateOrganisationDto,
  OrganisationDto,
  OrganisationPageDto,
  OrganisationQueryDto,
  UpdateOrganisationDto,
} from './dto/organisation.dto.js';
import { MembersService } from './members.service.js';
import { OrganisationsService } from './organisations.service.js';

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationsController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly members: MembersService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Register an organisation; you become its org_admin',
    description: 'The organisation number is validated (format, third digit ≥ 2, Luhn) and normalised to NNNNNN-NNNN. Accepts Idempotency-Key.',
  })
  @ApiCreatedResponse({ type: OrganisationDto })
  @ApiErrors(400, 401, 409)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateOrganisationDto): Promise<OrganisationDto> {
    return this.organisations.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Organisations: all with filters for coordinators; your own for everyone else' })
  @ApiOkResponse({ type: OrganisationPageDto })
  @ApiErrors(400, 401)
  list(@CurrentUser() user: AuthUser, @Query() query: OrganisationQueryDto): Promise<Page<OrganisationDto>> {
    return this.organisations.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One organisation (its members and coordinators)' })
  @ApiOkResponse({ type: OrganisationDto })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<OrganisationDto> {
    return this.organisations.get(user, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change an organisation\'s details (org_admin, coordinator); the organisation number cannot change' })
  @ApiOkResponse({ type: OrganisationDto })
  @ApiErrors(400, 401, 403, 404)
  update(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: UpdateOrganisationDto): Promise<OrganisationDto> {
    return this.organisations.update(user, id, dto);
  }

  @Get(':id/members')
  @ApiOperation({ summary: 'Members with roles and job titles (org_admin, coordinator)' })
  @ApiOkResponse({ type: PageOf(MemberDto) })
  @ApiErrors(400, 401, 403, 404)
  listMembers(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() page: PaginationQueryDto): Promise<Page<MemberDto>> {
    return this.members.list(user, id, page);
  }

  @Patch(':id/members/:userId')
  @ApiOperation({ summary: 'Change a member\'s role or job title (org_admin, coordinator); the last admin stays admin (409)' })
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(400, 401, 403, 404, 409)
  updateMember(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
    @Body() dto: UpdateMemberDto,
  ): Promise<MemberDto> {
    return this.members.update(user, id, userId, dto);
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member (org_admin, coordinator) or leave (yourself); the last admin cannot go (409)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404, 409)
  removeMember(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @UuidParam('userId') userId: string): Promise<void> {
    return this.members.remove(user, id, userId);
  }

  @Post(':id/invitations')
  @ApiOperation({
    summary: 'Invite someone by email (org_admin, coordinator)',
    description: 'Emails a single-use link (Swedish, or English for English users) valid INVITATION_TTL_DAYS. Inviting again voids the earlier link. Someone already a member → 409.',
  })
  @ApiCreatedResponse({ type: InvitationDto })
  @ApiErrors(400, 401, 403, 404, 409)
  invite(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: InviteMemberDto): Promise<InvitationDto> {
    return this.members.invite(user, id, dto);
  }

  @Get(':id/invitations')
  @ApiOperation({ summary: 'Open (unaccepted, unexpired) invitations (org_admin, coordinator)' })
  @ApiOkResponse({ type: PageOf(InvitationDto) })
  @ApiErrors(400, 401, 403, 404)
  listInvitations(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() page: PaginationQueryDto): Promise<Page<InvitationDto>> {
    return this.members.listInvitations(user, id, page);
  }

  @Delete(':id/invitations/:invitationId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw an open invitation (org_admin, coordinator)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  voidInvitation(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('invitationId') invitationId: string,
  ): Promise<void> {
    return this.members.voidInvitation(user, id, invitationId);
  }
}
