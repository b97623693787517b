import { Body, Controller, Get, Header, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { ApiKeyAccess, CurrentUser, MaybeUser, OptionalAuth, Public } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { UuidParam } from '../common/params.js';
import { CreateOfferingDto, OfferingDto, UpdateOfferingDto } from './dto/offering.dto.js';
import { SearchOfferingsQueryDto, SearchPageDto } from './dto/search.dto.js';
import { CreateSessionDto, SessionDto } from './dto/session.dto.js';
import { OfferingSearchService } from './offering-search.service.js';
import { OfferingsService } from './offerings.service.js';
import { SessionsService } from './sessions.service.js';

@ApiTags('catalogue')
@ApiBearerAuth()
@ApiKeyAccess()
@Controller('offerings')
export class OfferingsController {
  constructor(
    private readonly offerings: OfferingsService,
    private readonly search: OfferingSearchService,
    private readonly sessions: SessionsService,
  ) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Search published offerings (public)',
    description:
      'Finds published offerings with at least one upcoming scheduled session that matches the session filters (municipality, ' +
      'county, from/to, online, freeSeats); offering filters: theme and format (any of), accessibility (all of), targetGroup, ' +
      'and q (Swedish full-text search with stemming, ranked). Each hit lists its matching upcoming sessions with seatsLeft. ' +
      'Example: `GET /api/v1/offerings?q=upphandling&theme=public_procurement&county=03&freeSeats=true&near=0331&sort=distance`.',
  })
  @ApiOkResponse({ type: SearchPageDto })
  @ApiErrors(400)
  // the body comes from the database as JSON text (a SearchPageDto)
  @Header('Content-Type', 'application/json; charset=utf-8')
  find(@Query() query: SearchOfferingsQueryDto): Promise<string> {
    return this.search.searchJson(query);
  }

  @Post()
  @ApiOperation({
    summary: 'Create an offering as a draft (the provider\'s staff, or a coordinator)',
    description: 'Theme, format and accessibility codes are checked against the reference data (unknown codes → 400 naming them). Accepts Idempotency-Key.',
  })
  @ApiCreatedResponse({ type: OfferingDto })
  @ApiErrors(400, 401, 403, 404)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateOfferingDto): Promise<OfferingDto> {
    return this.offerings.create(user, dto);
  }

  @OptionalAuth()
  @Get(':id')
  @ApiOperation({
    summary: 'One offering with its sessions and seatsLeft',
    description: 'Published offerings are public; drafts and archived ones are 404 for everyone but the provider\'s staff and coordinators.',
  })
  @ApiOkResponse({ type: OfferingDto })
  @ApiErrors(400, 401, 404)
  get(@MaybeUser() user: AuthUser | undefined, @UuidParam('id') id: string): Promise<OfferingDto> {
    return this.offerings.get(user, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change an offering (the provider\'s staff, or a coordinator); archived ones cannot change (409)' })
  @ApiOkResponse({ type: OfferingDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: UpdateOfferingDto): Promise<OfferingDto> {
    return this.offerings.update(user, id, dto);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Publish an offering (the provider\'s staff, or a coordinator)',
    description: 'Needs at least one scheduled session that has not started (409 OFFERING_NO_UPCOMING_SESSION). Archived → 409 OFFERING_ARCHIVED.',
  })
  @ApiOkResponse({ type: OfferingDto })
  @ApiErrors(400, 401, 403, 404, 409)
  publish(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<OfferingDto> {
    return this.offerings.publish(user, id);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive an offering: out of search for good (the provider\'s staff, or a coordinator)' })
  @ApiOkResponse({ type: OfferingDto })
  @ApiErrors(400, 401, 403, 404)
  archive(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<OfferingDto> {
    return this.offerings.archive(user, id);
  }

  @Post(':id/sessions')
  @ApiOperation({
    summary: 'Add a session (the provider\'s staff, or a coordinator)',
    description:
      'In a municipality (with a venue) or online, or both. Rules: endsAt after startsAt, startsAt in the future, capacity 1–10 000, ' +
      'bookingClosesAt defaults to startsAt and may not be after it, cancellationDeadline not after startsAt.',
  })
  @ApiCreatedResponse({ type: SessionDto })
  @ApiErrors(400, 401, 403, 404, 409)
  addSession(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: CreateSessionDto): Promise<SessionDto> {
    return this.sessions.create(user, id, dto);
  }
}
