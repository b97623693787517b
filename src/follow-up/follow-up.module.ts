import { Module, OnModuleInit } from '@nestjs/common';
import { AttendanceEvents } from '../bookings/attendance-events.js';
import { BookingsModule } from '../bookings/bookings.module.js';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { PersonalDataRegistry } from '../common/personal-data.js';
import { MailModule } from '../mail/mail.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { EvaluationsController } from './evaluations.controller.js';
import { EvaluationsService } from './evaluations.service.js';
import { FollowUpDispatcher } from './follow-up.dispatcher.js';
import { FollowUpService } from './follow-up.service.js';
import { FollowUpStatusController } from './follow-up-status.controller.js';
import { FollowUpStatusService } from './follow-up-status.service.js';
import { FollowUpAdminPages } from './pages/follow-up-admin.page.js';
import { SurveyPageController } from './pages/survey.page.js';
import { PlansController } from './plans.controller.js';
import { PlansService } from './plans.service.js';
import { QuestionnairesController } from './questionnaires.controller.js';
import { QuestionnairesService } from './questionnaires.service.js';
import { ResultsController } from './results.controller.js';
import { ResultsService } from './results.service.js';
import { ResponseMixer } from './response-mixer.js';

@Module({
  imports: [MailModule, CatalogueModule, ReferenceModule, BookingsModule, OrganisationsModule],
  controllers: [QuestionnairesController, PlansController, EvaluationsController, SurveyPageController, ResultsController, FollowUpStatusController, FollowUpAdminPages],
  providers: [QuestionnairesService, PlansService, FollowUpService, FollowUpDispatcher, EvaluationsService, ResultsService, FollowUpStatusService, ResponseMixer],
  exports: [FollowUpService, FollowUpDispatcher, ResponseMixer, FollowUpStatusService, ResultsService],
})
export class FollowUpModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly attendance: AttendanceEvents,
    private readonly followUp: FollowUpService,
  ) {}

  onModuleInit(): void {
    // Attendance recorded by a provider (bookings) creates the evaluation invitations, in the same transaction.
    this.attendance.onRecorded((manager, event) => this.followUp.sessionAttendanceRecorded(manager, event).then(() => undefined));
    this.personalData.register({
      key: 'evaluationInvitations',
      // Which evaluations the person was asked to answer and whether they did: never the answers, which are anonymous.
      export: (manager, userId) =>
        manager.query(
          `SELECT i.id, o.title AS "courseTitle", i.session_id AS "sessionId", q.title AS "questionnaire", i.status,
                  i.due_at AS "dueAt", i.sent_at AS "sentAt", i.reminders_sent AS "remindersSent",
                  (i.answered_at IS NOT NULL) AS "answered", i.opted_out_at AS "optedOutAt"
             FROM evaluation_invitations i
             JOIN questionnaires q ON q.id = i.questionnaire_id
             LEFT JOIN offerings o ON o.id = i.offering_id
            WHERE i.user_id = $1 ORDER BY i.due_at`,
          [userId],
        ),
      // The invitations go (and with them their link tokens); anonymous answers stay, as they cannot be traced to anyone.
      erase: async (manager, userId) => {
        await manager.query('DELETE FROM evaluation_invitations WHERE user_id = $1', [userId]);
      },
    });
  }
}
