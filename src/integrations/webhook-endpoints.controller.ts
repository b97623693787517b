import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { ApiKeyAccess, CurrentUser } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { type Page, PageOf } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import {
  CreatedWebhookEndpointDto,
  CreateWebhookEndpointDto,
  QueuedDeliveryDto,
  UpdateWebhookEndpointDto,
  WebhookDeliveriesQueryDto,
  WebhookDeliveryDto,
  WebhookEndpointDto,
  WebhookEndpointsQueryDto,
  WebhookSecretDto,
} from './dto/integrations.dto.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';

const OWNERS =
  'A provider\'s endpoints are managed by its staff, its API keys and coordinators; an organisation\'s by its admins and coordinators; ' +
  'the programme\'s (neither id given) by coordinators. Another owner\'s endpoint → 403, an unknown id → 404.';

@ApiTags('integrations')
@ApiBearerAuth()
@ApiKeyAccess()
@Controller()
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post('webhook-endpoints')
  @ApiOperation({
    summary: 'Register a webhook endpoint; the answer holds its signing secret, shown once',
    description:
      `${OWNERS} Deliveries follow the Standard Webhooks specification (headers webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256>; ` +
      'body {type, timestamp, data} with ids only). An unknown event type, localhost or a private/loopback/link-local address (unless ' +
      'WEBHOOKS_ALLOW_PRIVATE_URLS=true), or http in production → 400. Names are checked again after DNS at every delivery.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointDto })
  @ApiErrors(400, 401, 403, 404)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointDto> {
    return this.endpoints.create(user, dto);
  }

  @Get('webhook-endpoints')
  @ApiOperation({ summary: 'The webhook endpoints the caller manages, newest first', description: OWNERS })
  @ApiOkResponse({ type: PageOf(WebhookEndpointDto) })
  @ApiErrors(400, 401, 403)
  list(@CurrentUser() user: AuthUser, @Query() query: WebhookEndpointsQueryDto): Promise<Page<WebhookEndpointDto>> {
    return this.endpoints.list(user, query);
  }

  @Get('webhook-endpoints/:id')
  @ApiOperation({ summary: 'One webhook endpoint (without its secret)', description: OWNERS })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<WebhookEndpointDto> {
    return this.endpoints.get(user, id);
  }

  @Patch('webhook-endpoints/:id')
  @ApiOperation({ summary: 'Change the URL, events or description, or turn the endpoint on or off', description: OWNERS })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiErrors(400, 401, 403, 404)
  update(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: UpdateWebhookEndpointDto): Promise<WebhookEndpointDto> {
    return this.endpoints.update(user, id, dto);
  }

  @Delete('webhook-endpoints/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint with its delivery log', description: OWNERS })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 401, 403, 404)
  remove(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<void> {
    return this.endpoints.remove(user, id);
  }

  @Post('webhook-endpoints/:id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new signing secret, shown once; the old one stops at once', description: OWNERS })
  @ApiOkResponse({ type: WebhookSecretDto })
  @ApiErrors(400, 401, 403, 404)
  rotate(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<WebhookSecretDto> {
    return this.endpoints.rotateSecret(user, id);
  }

  @Get('webhook-endpoints/:id/deliveries')
  @ApiOperation({ summary: 'The endpoint\'s delivery log (30 days), newest first', description: `${OWNERS} ?status= filters.` })
  @ApiOkResponse({ type: PageOf(WebhookDeliveryDto) })
  @ApiErrors(400, 401, 403, 404)
  deliveries(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() query: WebhookDeliveriesQueryDto): Promise<Page<WebhookDeliveryDto>> {
    return this.endpoints.deliveries(user, id, query);
  }

  @Post('webhook-endpoints/:id/test')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a signed test event (type webhook.test) to the endpoint now',
    description: `${OWNERS} Its outcome shows in the delivery log.`,
  })
  @ApiAcceptedResponse({ type: QueuedDeliveryDto })
  @ApiErrors(400, 401, 403, 404)
  test(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<QueuedDeliveryDto> {
    return this.endpoints.test(user, id);
  }

  @Post('webhook-deliveries/:id/retry')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a delivery again now (same webhook-id), whatever became of it',
    description: `${OWNERS} A delivery being sent at this moment → 409 WEBHOOK_DELIVERY_IN_FLIGHT.`,
  })
  @ApiAcceptedResponse({ type: QueuedDeliveryDto })
  @ApiErrors(400, 401, 403, 404, 409)
  retry(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<QueuedDeliveryDto> {
    return this.endpoints.retry(user, id);
  }
}
