import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { MailModule } from '../mail/mail.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { NeedsAccess } from './needs-access.service.js';
import { NeedsAssessmentsService } from './needs-assessments.service.js';
import { NeedsOrganisationsRepository } from './needs-organisations.repository.js';
import { NeedsRemindersScheduler } from './needs-reminders.scheduler.js';
import { NeedsReportExportService } from './needs-report-export.service.js';
import { NeedsReportController } from './needs-report.controller.js';
import { NeedsReportRepository } from './needs-report.repository.js';
import { NeedsReportService } from './needs-report.service.js';
import { NeedsRoundsController } from './needs-rounds.controller.js';
import { NeedsRoundsService } from './needs-rounds.service.js';
import { NeedsPages } from './pages/needs.page.js';
import { NeedsStatementsController } from './needs-statements.controller.js';
import { NeedsStatementsService } from './needs-statements.service.js';

@Module({
  imports: [OrganisationsModule, CatalogueModule, ReferenceModule, MailModule],
  controllers: [NeedsRoundsController, NeedsStatementsController, NeedsReportController, NeedsPages],
  providers: [
    NeedsAccess,
    NeedsOrganisationsRepository,
    NeedsRoundsService,
    NeedsStatementsService,
    NeedsAssessmentsService,
    NeedsReportRepository,
    NeedsReportService,
    NeedsReportExportService,
    NeedsRemindersScheduler,
  ],
  exports: [NeedsReportService, NeedsRoundsService, NeedsReportExportService],
})
export class NeedsModule {}
