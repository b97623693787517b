import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { MailModule } from '../mail/mail.module.js';
import { BookingsModule } from '../bookings/bookings.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ProgrammesModule } from '../programmes/programmes.module.js';
import { MonthlyFileService } from './monthly-file.service.js';
import { MeParticipationController } from './me-participation.controller.js';
import { identityCipherProvider, ParticipantIdentityService } from './participant-identity.service.js';
import { EsfRegisterPages } from './pages/esf-register.page.js';
import { OrganisationEsfPages } from './pages/organisation-esf.page.js';
import { TimeReportPages } from './pages/time-reports.page.js';
import { ParticipantRetention } from './participant-retention.js';
import { ParticipantsController } from './participants.controller.js';
import { ParticipantsRepository } from './participants.repository.js';
import { ParticipationService } from './participation.service.js';
import { ProgrammeReportsService } from './programme-reports.service.js';
import { RegisterService } from './register.service.js';
import { TimeReportsController } from './time-reports.controller.js';
import { TimeReportsService } from './time-reports.service.js';

/** ESF participants: identity numbers (encrypted), the register from attendance, time reports and their certification, co-financing, indicators, the monthly file. */
@Module({
  imports: [AuditModule, AuthModule, BookingsModule, MailModule, OrganisationsModule, ProgrammesModule],
  controllers: [ParticipantsController, MeParticipationController, TimeReportsController, TimeReportPages, EsfRegisterPages, OrganisationEsfPages],
  providers: [
    identityCipherProvider,
    ParticipantsRepository,
    ParticipantIdentityService,
    ParticipationService,
    RegisterService,
    TimeReportsService,
    ProgrammeReportsService,
    MonthlyFileService,
    ParticipantRetention,
  ],
})
export class ParticipantsModule {}
