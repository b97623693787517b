import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../webhook-endpoint.entity.js';

const EVENTS_DESCRIPTION =
  'The event types to send. booking.* events carry bookingId, sessionId, providerId, organisationId and status; booking.expired: a seat ' +
  'offered from the waitlist was not taken before its deadline (the seat then passes on, announced as waitlist.promoted).';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Kursadministrationen (Eduadmin)', description: 'What the key is for, to tell keys apart' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  providerId: string;

  @ApiProperty({ example: 'Kursadministrationen (Eduadmin)' })
  name: string;

  @ApiProperty({ example: 'klk_3fQa', description: 'The key\'s first characters' })
  prefix: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Updated at most once a minute' })
  lastUsedAt: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  revokedAt: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'klk_3fQaV0pXb7mJ6wqk2yH8sEo1uTn4rLcZ9dGiAeKfWxM',
    description: 'The key, shown this once (only its hash is stored). Send it as `Authorization: Bearer <key>` or `X-Api-Key: <key>`.',
  })
  key: string;
}

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://kurser.example.se/hooks/kompetenslyft', description: 'https (http only outside production); not localhost or a private address' })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['booking.created', 'booking.cancelled'], description: EVENTS_DESCRIPTION })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  events: WebhookEventType[];

  @ApiPropertyOptional({ format: 'uuid', description: 'A provider\'s endpoint (its staff or API keys): events about its courses' })
  @IsOptional()
  @IsUUID()
  providerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'An organisation\'s endpoint (its admins): events about its bookings' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ example: 'Bokningar till vårt kursregister', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional({ example: 'https://kurser.example.se/hooks/kompetenslyft' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: EVENTS_DESCRIPTION })
  @IsOptional()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  events?: WebhookEventType[];

  @ApiPropertyOptional({ maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiPropertyOptional({ description: 'true turns a disabled endpoint on again (its waiting deliveries are then sent)' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['provider', 'organisation', 'programme'] })
  ownerKind: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  providerId: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  organisationId: string | null;

  @ApiProperty({ example: 'https://kurser.example.se/hooks/kompetenslyft' })
  url: string;

  @ApiProperty({ nullable: true, type: String })
  description: string | null;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  events: string[];

  @ApiProperty()
  enabled: boolean;

  @ApiProperty({ enum: ['gone', 'failing'], nullable: true, type: String, description: 'Why it was turned off: gone (the receiver answered 410), failing (failed for days)' })
  disabledReason: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  failingSince: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class CreatedWebhookEndpointDto extends WebhookEndpointDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The signing secret, shown this once (rotate it to get a new one)' })
  secret: string;
}

export class WebhookSecretDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The new signing secret, shown this once; the old one stops at once' })
  secret: string;
}

export const WEBHOOK_OWNER_KINDS = ['provider', 'organisation', 'programme'] as const;

export class WebhookEndpointsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: WEBHOOK_OWNER_KINDS, description: 'Only endpoints of this kind of owner (programme: the programme\'s own)' })
  @IsOptional()
  @IsIn(WEBHOOK_OWNER_KINDS)
  ownerKind?: (typeof WEBHOOK_OWNER_KINDS)[number];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  providerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;

export class WebhookDeliveriesQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'The webhook-id header: the same on every attempt' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  endpointId: string;

  @ApiProperty({ example: 'booking.created' })
  eventType: string;

  @ApiProperty({ enum: DELIVERY_STATUSES, description: 'pending (waiting, retrying, or being sent now), sent, failed (given up); sending only for rows claimed by an earlier version' })
  status: string;

  @ApiProperty({ example: 1 })
  attempts: number;

  @ApiProperty({ nullable: true, type: Number, example: 200 })
  lastStatusCode: number | null;

  @ApiProperty({ nullable: true, type: String, example: 'HTTP 503' })
  lastError: string | null;

  @ApiProperty({ example: '{"data": {"bookingId": "…"}, "type": "booking.created", "timestamp": "…"}', description: 'The exact body posted' })
  body: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', description: 'When the next attempt is due (pending)' })
  nextAttemptAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  sentAt: string | null;
}

export class QueuedDeliveryDto {
  @ApiProperty({ format: 'uuid' })
  deliveryId: string;
}

