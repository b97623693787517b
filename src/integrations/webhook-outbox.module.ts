import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MailModule } from '../mail/mail.module.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEvents } from './webhook-events.js';

/**
 * The webhook outbox: what other modules import to write events in their transactions
 * (WebhookEvents), and the dispatcher that sends them. It depends on no feature module, so that
 * catalogue and bookings can use it while IntegrationsModule (which manages endpoints and keys)
 * depends on them.
 */
@Module({
  imports: [MailModule, AuthModule],
  providers: [WebhookEvents, WebhookDispatcher],
  exports: [WebhookEvents, WebhookDispatcher],
})
export class WebhookOutboxModule {}
