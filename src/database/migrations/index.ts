import { Initial1795719178221 } from './1795719178221-initial.js';
import { ReferenceData1795719178222 } from './1795719178222-reference-data.js';
import { Organisations1795720095294 } from './1795720095294-organisations.js';
import { CatalogueTables1795720428179 } from './1795720428179-catalogue-tables.js';
import { Bookings1795720608223 } from './1795720608223-bookings.js';
import { NeedsTables1795720612598 } from './1795720612598-needs-tables.js';
import { CatalogueSearch1795720688881 } from './1795720688881-catalogue-search.js';
import { FollowUp1795721078284 } from './1795721078284-follow-up.js';
import { FollowUpQuestionnaires1795721078285 } from './1795721078285-follow-up-questionnaires.js';
import { OfferingPlaces1795730829341 } from './1795730829341-offering-places.js';
import { OfferingSearchIndex1795734256584 } from './1795734256584-offering-search-index.js';
import { MatchingOfferings1795741060471 } from './1795741060471-matching-offerings.js';
import { RecommendationBounds1795774376574 } from './1795774376574-recommendation-bounds.js';
import { CourseEvaluationScales1796300000000 } from './1796300000000-course-evaluation-scales.js';
import { Programmes1796400000000 } from './1796400000000-programmes.js';
import { AccountSecurity1796500000000 } from './1796500000000-account-security.js';
import { AnonymousAnswersInbox1796500000001 } from './1796500000001-anonymous-answers-inbox.js';
import { SessionWaitlistLength1796600000000 } from './1796600000000-session-waitlist-length.js';
import { WebSessions1796700000000 } from './1796700000000-web-sessions.js';
import { EsfParticipants1796800000000 } from './1796800000000-esf-participants.js';
import { Integrations1796900000000 } from './1796900000000-integrations.js';
import { OutboxDueIndexes1796950000000 } from './1796950000000-outbox-due-indexes.js';

/** Every migration, in order. A committed migration is never edited: add a new one. */
export const MIGRATIONS = [
  Initial1795719178221,
  ReferenceData1795719178222,
  Organisations1795720095294,
  CatalogueTables1795720428179,
  Bookings1795720608223,
  NeedsTables1795720612598,
  CatalogueSearch1795720688881,
  FollowUp1795721078284,
  FollowUpQuestionnaires1795721078285,
  OfferingPlaces1795730829341,
  OfferingSearchIndex1795734256584,
  MatchingOfferings1795741060471,
  RecommendationBounds1795774376574,
  CourseEvaluationScales1796300000000,
  Programmes1796400000000,
  AccountSecurity1796500000000,
  AnonymousAnswersInbox1796500000001,
  SessionWaitlistLength1796600000000,
  WebSessions1796700000000,
  EsfParticipants1796800000000,
  Integrations1796900000000,
  OutboxDueIndexes1796950000000,
];
