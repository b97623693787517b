/**
 * Closed code lists of the needs module (documented in OpenAPI). Reference data that coordinators
 * manage (themes, formats, municipalities, accessibility features) lives in `reference`; these
 * lists are the answer options of the round's questions and change with the questions.
 */

export const ROUND_STATUSES = ['draft', 'open', 'closed'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

export const INVITE_SCOPES = ['all', 'counties', 'sectors', 'organisations'] as const;
export type InviteScope = (typeof INVITE_SCOPES)[number];

/** Time of year (Q9): seasons; spring = Mar–May, summer = Jun–Aug, autumn = Sep–Nov, winter = Dec–Feb. */
export const PERIODS = ['spring', 'summer', 'autumn', 'winter'] as const;
export type Period = (typeof PERIODS)[number];

/** Time of day (Q9). */
export const TIMES_OF_DAY = ['morning', 'afternoon', 'evening', 'full_day', 'any'] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];

export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Q6: does the organisation have a gender-equality plan? */
export const PLAN_STATUSES = ['yes', 'in_progress', 'no', 'dont_know'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** Q5: support needed to grow or start social enterprises. */
export const SUPPORT_NEEDS = [
  'business_advice',
  'mentoring',
  'financing',
  'legal_advice',
  'procurement_support',
  'peer_network',
  'premises',
  'incubator',
  'entrepreneurship_training',
  'other',
] as const;

/** Q10: how follow-up should be done. */
export const FOLLOW_UP_METHODS = [
  'survey_after_course',
  'survey_months_later',
  'interviews',
  'focus_groups',
  'manager_follow_up',
  'self_assessment',
  'certificate',
  'other',
] as const;

/** Q11: channels that reach the organisation. */
export const CHANNELS = [
  'email',
  'newsletter',
  'website',
  'social_media',
  'umbrella_organisation',
  'municipality',
  'study_association',
  'events',
  'personal_contact',
  'other',
] as const;

/** Swedish labels for exports and reports. */
export const LABELS_SV: Record<string, string> = {
  spring: 'Vår (mars–maj)',
  summer: 'Sommar (juni–augusti)',
  autumn: 'Höst (september–november)',
  winter: 'Vinter (december–februari)',
  morning: 'Förmiddag',
  afternoon: 'Eftermiddag',
  evening: 'Kväll',
  full_day: 'Heldag',
  any: 'Spelar ingen roll',
  high: 'Hög',
  medium: 'Medel',
  low: 'Låg',
  yes: 'Ja',
  in_progress: 'Under arbete',
  no: 'Nej',
  dont_know: 'Vet inte',
  business_advice: 'Affärsrådgivning',
  mentoring: 'Mentorskap',
  financing: 'Finansiering',
  legal_advice: 'Juridisk rådgivning',
  procurement_support: 'Stöd i upphandling',
  peer_network: 'Nätverk med andra',
  premises: 'Lokaler',
  incubator: 'Inkubator',
  entrepreneurship_training: 'Utbildning i entreprenörskap',
  other: 'Annat',
  survey_after_course: 'Enkät direkt efter kursen',
  survey_months_later: 'Enkät några månader senare',
  interviews: 'Intervjuer',
  focus_groups: 'Fokusgrupper',
  manager_follow_up: 'Uppföljning av chef',
  self_assessment: 'Självskattning',
  certificate: 'Intyg',
  email: 'E-post',
  newsletter: 'Nyhetsbrev',
  website: 'Webbplats',
  social_media: 'Sociala medier',
  umbrella_organisation: 'Paraplyorganisation',
  municipality: 'Kommunen',
  study_association: 'Studieförbund',
  events: 'Möten och evenemang',
  personal_contact: 'Personlig kontakt',
  online: 'Distans',
  in_person: 'På plats',
  social_economy: 'Social ekonomi',
  public: 'Offentlig sektor',
  ideell_forening: 'Ideell förening',
  ekonomisk_forening: 'Ekonomisk förening',
  stiftelse: 'Stiftelse',
  aktiebolag: 'Aktiebolag',
  trossamfund: 'Trossamfund',
  kommun: 'Kommun',
  region: 'Region',
  statlig_myndighet: 'Statlig myndighet',
};
