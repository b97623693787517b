import { AuditEntry } from '../audit/audit-entry.entity.js';
import { Booking } from '../bookings/booking.entity.js';
import { Offering } from '../catalogue/offering.entity.js';
import { Provider, ProviderStaff } from '../catalogue/provider.entity.js';
import { Session } from '../catalogue/session.entity.js';
import { LoginFailure } from '../auth/login-failure.entity.js';
import { NeedsAssessment } from '../needs/needs-assessment.entity.js';
import { NeedsRound, NeedsRoundOrganisation } from '../needs/needs-round.entity.js';
import { NeedsStatement } from '../needs/needs-statement.entity.js';
import { MagicLinkToken } from '../auth/magic-link-token.entity.js';
import { User } from '../auth/user.entity.js';
import { EvaluationInvitation, EvaluationToken } from '../follow-up/evaluation-invitation.entity.js';
import { EvaluationResponse, EvaluationResponseInbox } from '../follow-up/evaluation-response.entity.js';
import { FollowUpPlan, FollowUpPlanStep } from '../follow-up/follow-up-plan.entity.js';
import { Questionnaire } from '../follow-up/questionnaire.entity.js';
import { IdempotencyKey } from '../common/idempotency/idempotency-key.entity.js';
import { Invitation } from '../invitations/invitation.entity.js';
import { OutboxMessage } from '../mail/outbox-message.entity.js';
import { OrganisationMember } from '../organisations/organisation-member.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { PersonProfile, PersonSensitiveData } from '../organisations/person-profile.entity.js';
import { EsfCertificationCode, EsfMonthlyFileSend, EsfParticipant, EsfTimeEntry, EsfTimeReport, ParticipantIdentity } from '../participants/participant.entity.js';
import { Intervention, InterventionOffering, Programme, ProgrammeDraft } from '../programmes/programme.entity.js';
import { AccessibilityFeature, Format, Municipality, Theme } from '../reference/reference.entities.js';
import { WebSession } from '../web/web-session.entity.js';
import { ApiKey } from '../auth/api-key.entity.js';
import { WebhookDelivery } from '../integrations/webhook-delivery.entity.js';
import { WebhookEndpoint } from '../integrations/webhook-endpoint.entity.js';

/** Every entity, listed explicitly (globs over __dirname break under ESM). */
export const ENTITIES = [
  Municipality,
  Theme,
  Format,
  AccessibilityFeature,
  User,
  MagicLinkToken,
  LoginFailure,
  OutboxMessage,
  IdempotencyKey,
  AuditEntry,
  Invitation,
  Organisation,
  OrganisationMember,
  PersonProfile,
  PersonSensitiveData,
  Provider,
  ProviderStaff,
  Offering,
  Session,
  NeedsRound,
  NeedsRoundOrganisation,
  NeedsStatement,
  NeedsAssessment,
  Booking,
  Questionnaire,
  FollowUpPlan,
  FollowUpPlanStep,
  EvaluationInvitation,
  EvaluationToken,
  EvaluationResponse,
  EvaluationResponseInbox,
  Programme,
  Intervention,
  InterventionOffering,
  ProgrammeDraft,
  WebSession,
  ParticipantIdentity,
  EsfParticipant,
  EsfTimeEntry,
  EsfTimeReport,
  EsfCertificationCode,
  EsfMonthlyFileSend,
  ApiKey,
  WebhookEndpoint,
  WebhookDelivery,
];
