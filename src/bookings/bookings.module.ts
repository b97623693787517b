import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { WebhookOutboxModule } from '../integrations/webhook-outbox.module.js';
import { MailModule } from '../mail/mail.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { AttendanceEvents } from './attendance-events.js';
import { AttendanceService } from './attendance.service.js';
import { BookingAccess } from './booking-access.js';
import { BookingBatches } from './booking-batches.js';
import { BookingContexts } from './booking-sessions.repository.js';
import { BookingDecisionsService } from './booking-decisions.service.js';
import { BookingJobs } from './booking-jobs.scheduler.js';
import { BookingNotifications } from './booking-notifications.js';
import { BookingQueriesService } from './booking-queries.service.js';
import { BookingSeats } from './booking-seats.js';
import { BookingSessionListeners } from './booking-session-listeners.js';
import { BookingWebhooks } from './booking-webhooks.js';
import { BookingsController } from './bookings.controller.js';
import { BookingPages } from './pages/bookings.page.js';
import { OrganisationBookingPages } from './pages/organisation-bookings.page.js';
import { BookingsService } from './bookings.service.js';

@Module({
  imports: [CatalogueModule, OrganisationsModule, MailModule, ReferenceModule, WebhookOutboxModule],
  controllers: [BookingsController, BookingPages, OrganisationBookingPages],
  providers: [
    BookingsService,
    BookingBatches,
    BookingContexts,
    BookingDecisionsService,
    BookingQueriesService,
    BookingAccess,
    BookingSeats,
    BookingNotifications,
    BookingWebhooks,
    BookingSessionListeners,
    BookingJobs,
    AttendanceService,
    AttendanceEvents,
  ],
  exports: [AttendanceService, AttendanceEvents, BookingQueriesService],
})
export class BookingsModule {}
