/**
 * The matching model: how well one bookable session fits one identified need. Pure (no I/O), so
 * that it is unit- and property-tested, and the one place where weights live.
 */

/** Points per criterion; they add up to 100. */
const STOCKHOLM_MONTH = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', month: 'numeric' });

export const WEIGHTS = {
  /** The session's offering covers the need's theme exactly. */
  themeExact: 40,
  /** Only a broader (parent) theme matches: partial credit. */
  themeParent: 20,
  /** Format by the need's ranking: first choice, second, third; other formats get nothing. */
  formatByRank: [20, 14, 8] as const,
  /** Place: same municipality > same county > online > elsewhere in the region. */
  placeSameMunicipality: 20,
  placeSameCounty: 14,
  placeOnline: 10,
  placeElsewhere: 4,
  /** When the need asks for online, an online session gets the full place score and in-person
   * sessions drop one step (same municipality scores as same county, same county as online). */
  placeOnlinePreferred: 20,
  /** Starts inside the preferred period and one of the preferred seasons (or none was stated). */
  timingInPeriod: 10,
  /** Offered to the need's target group (social economy, public sector). */
  targetGroup: 5,
  /** Taught in a language the person reads. */
  language: 5,
} as const;

export interface Need {
  themeCode: string;
  /** Ranked, most preferred first. */
  preferredFormats: string[];
  municipalityCode: string | null;
  countyCode: string | null;
  /** The need asks for online sessions. */
  online: boolean;
  /** Every one of these must be provided, or the session is excluded. */
  accessibilityNeeds: string[];
  period: { from: Date; to: Date } | null;
  /** Preferred times of year (the statement's `preferred_periods`); empty or absent: any. */
  seasons?: Season[];
  targetGroup: 'social_economy' | 'public_sector' | null;
  /** Languages the person reads; empty means Swedish. */
  languages: string[];
}

export interface Candidate {
  themeCodes: string[];
  format: string;
  municipalityCode: string | null;
  countyCode: string | null;
  online: boolean;
  accessibilityFeatures: string[];
  startsAt: Date;
  seatsLeft: number;
  /** A waitlist takes people when the session is full. */
  waitlistOpen: boolean;
  targetGroups: string[];
  language: string;
}

export interface Reason {
  code: string;
  sv: string;
  en: string;
}

export type Match = { excluded: false; score: number; reasons: Reason[] } | { excluded: true; reason: Reason };

/** Parent of each theme code that has one (themes may be hierarchical). */
export type ThemeParents = ReadonlyMap<string, string>;

export type Season = 'spring' | 'summer' | 'autumn' | 'winter';

/** The season a moment falls in, in Swedish time: spring Mar–May, summer Jun–Aug, autumn Sep–Nov, winter Dec–Feb. */
export function seasonOf(moment: Date): Season {
  const month = Number(STOCKHOLM_MONTH.format(moment));
  if (month >= 3 && month <= 5) return 'spring';
  if (month >= 6 && month <= 8) return 'summer';
  if (month >= 9 && month <= 11) return 'autumn';
  return 'winter';
}

const reason = (code: string, sv: string, en: string): Reason => ({ code, sv, en });

/** Accessibility feature names for the reasons, e.g. "Hörslinga finns". */
export type FeatureNames = ReadonlyMap<string, { sv: string; en: string }>;

export function scoreMatch(need: Need, candidate: Candidate, parents: ThemeParents = new Map(), features: FeatureNames = new Map()): Match {
  const missing = need.accessibilityNeeds.filter((code) => !candidate.accessibilityFeatures.includes(code));
  if (missing.length > 0) {
    return {
      excluded: true,
      reason: reason(
        'accessibility_missing',
        `Saknar: ${missing.map((c) => features.get(c)?.sv ?? c).join(', ')}`,
        `Missing: ${missing.map((c) => features.get(c)?.en ?? c).join(', ')}`,
      ),
    };
  }
  if (candidate.seatsLeft <= 0 && !candidate.waitlistOpen) {
    return { excluded: true, reason: reason('full', 'Fullbokad', 'Fully booked') };
  }

  let score = 0;
  const reasons: Reason[] = [];

  if (candidate.themeCodes.includes(need.themeCode)) {
    score += WEIGHTS.themeExact;
    reasons.push(reason('theme', 'Rätt tema', 'The right theme'));
  } else {
    const parent = parents.get(need.themeCode);
    const related = candidate.themeCodes.some((code) => code === parent || parents.get(code) === need.themeCode || (parent !== undefined && parents.get(code) === parent));
    if (related) {
      score += WEIGHTS.themeParent;
      reasons.push(reason('theme_related', 'Närliggande tema', 'A related theme'));
    }
  }

  const rank = need.preferredFormats.indexOf(candidate.format);
  if (rank >= 0 && rank < WEIGHTS.formatByRank.length) {
    score += WEIGHTS.formatByRank[rank];
    reasons.push(
      rank === 0
        ? reason('format_first', 'Önskad form', 'The preferred format')
        : reason('format_ranked', 'En av de önskade formerna', 'One of the wanted formats'),
    );
  }

  if (candidate.online && need.online) {
    score += WEIGHTS.placeOnlinePreferred;
    reasons.push(reason('online_wanted', 'På distans, som önskat', 'Online, as wanted'));
  } else if (!candidate.online && need.municipalityCode && candidate.municipalityCode === need.municipalityCode) {
    score += need.online ? WEIGHTS.placeSameCounty : WEIGHTS.placeSameMunicipality;
    reasons.push(reason('same_municipality', 'Samma kommun', 'Same municipality'));
  } else if (!candidate.online && need.countyCode && candidate.countyCode === need.countyCode) {
    score += need.online ? WEIGHTS.placeOnline : WEIGHTS.placeSameCounty;
    reasons.push(reason('same_county', 'Samma län', 'Same county'));
  } else if (candidate.online) {
    score += WEIGHTS.placeOnline;
    reasons.push(reason('online', 'På distans', 'Online'));
  } else {
    score += WEIGHTS.placeElsewhere;
  }

  const seasons = need.seasons ?? [];
  const inPeriod = !need.period || (candidate.startsAt >= need.period.from && candidate.startsAt <= need.period.to);
  const inSeason = seasons.length === 0 || seasons.includes(seasonOf(candidate.startsAt));
  if (inPeriod && inSeason) {
    score += WEIGHTS.timingInPeriod;
    if (need.period || seasons.length > 0) reasons.push(reason('in_period', 'Under önskad period', 'In the wanted period'));
  }

  if (!need.targetGroup || candidate.targetGroups.includes(need.targetGroup)) {
    score += WEIGHTS.targetGroup;
  }

  const languages = need.languages.length ? need.languages : ['sv'];
  if (languages.includes(candidate.language)) {
    score += WEIGHTS.language;
    if (candidate.language !== 'sv') reasons.push(reason('language', 'På ett språk du läser', 'In a language you read'));
  }

  for (const code of need.accessibilityNeeds) {
    const name = features.get(code);
    reasons.push(reason(`provides_${code}`, `${name?.sv ?? code} finns`, `${name?.en ?? code} provided`));
  }
  if (candidate.seatsLeft <= 0) reasons.push(reason('waitlist', 'Fullbokad – kö finns', 'Full – waitlist open'));

  return { excluded: false, score, reasons };
}

/** Ranks candidates for a need: excluded ones dropped, best score first, earlier start on ties. */
export function rankCandidates<T extends Candidate>(need: Need, candidates: T[], parents?: ThemeParents, features?: FeatureNames) {
  return candidates
    .map((candidate) => ({ candidate, match: scoreMatch(need, candidate, parents, features) }))
    .filter((r): r is { candidate: T; match: Extract<Match, { excluded: false }> } => !r.match.excluded)
    .sort((a, b) => b.match.score - a.match.score || a.candidate.startsAt.getTime() - b.candidate.startsAt.getTime());
}
