import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { type Page, PageOf, PaginationQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/integrations.dto.js';
import { ProviderApiKeysService } from './provider-api-keys.service.js';

const WHO = 'The provider\'s staff and coordinators (not API keys: a key cannot make or revoke keys). Another provider → 403.';

@ApiTags('integrations')
@ApiBearerAuth()
@Controller('providers/:id/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ProviderApiKeysService) {}

  @Post()
  @ApiOperation({
    summary: 'Make an API key for the provider\'s own system; the key is in the answer, this once',
    description: `${WHO} The key acts with the provider's staff rights only, where provider staff act (elsewhere → 403); revoked → 401.`,
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiErrors(400, 401, 403, 404)
  create(@CurrentUser() user: AuthUser, @UuidParam('id') providerId: string, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(user, providerId, dto.name);
  }

  @Get()
  @ApiOperation({ summary: 'The provider\'s API keys (never the keys themselves), newest first', description: WHO })
  @ApiOkResponse({ type: PageOf(ApiKeyDto) })
  @ApiErrors(400, 401, 403, 404)
  list(@CurrentUser() user: AuthUser, @UuidParam('id') providerId: string, @Query() query: PaginationQueryDto): Promise<Page<ApiKeyDto>> {
    return this.keys.list(user, providerId, query);
  }

  @Get(':keyId')
  @ApiOperation({ summary: 'One API key, with when it was last used', description: WHO })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') providerId: string, @UuidParam('keyId') keyId: string): Promise<ApiKeyDto> {
    return this.keys.get(user, providerId, keyId);
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key: its next request is 401', description: WHO })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  @ApiErrors(400, 401, 403, 404)
  revoke(@CurrentUser() user: AuthUser, @UuidParam('id') providerId: string, @UuidParam('keyId') keyId: string): Promise<void> {
    return this.keys.revoke(user, providerId, keyId);
  }
}
