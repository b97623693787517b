/**
 * Believable catalogue data for the demo seed and the search benchmark: providers from DOMAIN.md,
 * offerings over the themes and formats with Swedish titles and descriptions, and sessions across
 * the programme's municipalities and online. Deterministic for a given seed.
 */
import type { ProviderKind } from '../provider.entity.js';

export const DEMO_PROVIDERS: Array<{ name: string; kind: ProviderKind; municipalityCode: string; website: string }> = [
  { name: 'Uppsala universitet', kind: 'university', municipalityCode: '0380', website: 'https://www.uu.se' },
  { name: 'Linköpings universitet', kind: 'university', municipalityCode: '0580', website: 'https://liu.se' },
  { name: 'Örebro universitet', kind: 'university', municipalityCode: '1880', website: 'https://www.oru.se' },
  { name: 'Mälardalens universitet', kind: 'university', municipalityCode: '1980', website: 'https://www.mdu.se' },
  { name: 'ABF', kind: 'study_association', municipalityCode: '0380', website: 'https://www.abf.se' },
  { name: 'Bilda', kind: 'study_association', municipalityCode: '0581', website: 'https://www.bilda.nu' },
  { name: 'Folkuniversitetet', kind: 'study_association', municipalityCode: '0380', website: 'https://www.folkuniversitetet.se' },
  { name: 'Kulturens', kind: 'study_association', municipalityCode: '0484', website: 'https://www.kulturens.se' },
  { name: 'Medborgarskolan', kind: 'study_association', municipalityCode: '1880', website: 'https://www.medborgarskolan.se' },
  { name: 'NBV', kind: 'study_association', municipalityCode: '1980', website: 'https://www.nbv.se' },
  { name: 'Sensus', kind: 'study_association', municipalityCode: '0580', website: 'https://www.sensus.se' },
  { name: 'Studiefrämjandet', kind: 'study_association', municipalityCode: '0480', website: 'https://www.studieframjandet.se' },
  { name: 'Studieförbundet Vuxenskolan', kind: 'study_association', municipalityCode: '0380', website: 'https://www.sv.se' },
  { name: 'Wiks folkhögskola', kind: 'folk_high_school', municipalityCode: '0380', website: 'https://www.wik.nu' },
  { name: 'Coompanion Östra Mellansverige', kind: 'other', municipalityCode: '0581', website: 'https://coompanion.se' },
];

const TITLES: Record<string, string[]> = {
  entrepreneurship: ['Starta och driva socialt företag', 'Affärsplan för sociala entreprenörer', 'Verksamhetsutveckling i föreningen', 'Från idé till verksamhet'],
  public_procurement: ['Offentlig upphandling för sociala företag', 'Att lämna anbud enligt LOU', 'Reserverade upphandlingar', 'Avtal med kommunen'],
  employer_role: ['Arbetsgivarrollen i små organisationer', 'Arbetsrätt för föreningar', 'Anställning, lön och kollektivavtal'],
  finance_accounting: ['Bokföring för föreningar', 'Ekonomistyrning och budget', 'Bokslut och årsredovisning'],
  quality_impact: ['Kvalitetsuppföljning i praktiken', 'Mät effekten av er verksamhet', 'Social redovisning och effektmätning'],
  leadership_board: ['Ledarskap i sociala företag', 'Styrelsearbete som fungerar', 'Att leda volontärer och anställda'],
  gender_equality: ['Jämställdhet i praktiken', 'Jämställd verksamhet', 'Normkritik och jämställdhetsintegrering'],
  accessibility_inclusion: ['Tillgänglighet i verksamheten', 'Inkludering av personer med funktionsnedsättning', 'Tillgängliga möten och lokaler'],
  digital_skills: ['Digitala verktyg i vardagen', 'Digital kompetens för föreningen', 'Sociala medier och kommunikation'],
  volunteers: ['Att arbeta med volontärer', 'Rekrytera och behålla frivilliga', 'Volontärsamordning'],
  swedish_at_work: ['Svenska på arbetsplatsen', 'Yrkessvenska för omsorg och service', 'Språkstöd i arbetet'],
  work_environment_health: ['Arbetsmiljö och hälsa', 'Systematiskt arbetsmiljöarbete', 'Stress och återhämtning'],
  social_enterprise_methods: ['Metoder för arbetsintegrerande sociala företag', 'Handledning och arbetsträning', 'Stegförflyttning och coachning'],
  local_partnerships: ['Idéburet offentligt partnerskap (IOP)', 'Samverkan med kommunen', 'Lokala partnerskap som håller'],
};

const FORMAT_WORDS: Record<string, string> = {
  study_circle: 'studiecirkel',
  short_course: 'kortkurs',
  lecture_series: 'föreläsningsserie',
  study_visit: 'studiebesök',
  team_series: 'teamserie',
  higher_ed_course: 'högskolekurs',
  online_course: 'distanskurs',
};

const SENTENCES = [
  'Utbildningen vänder sig till anställda i idéburna organisationer och sociala företag.',
  'Vi varvar korta föreläsningar med övningar och samtal i grupp.',
  'Du får konkreta verktyg som du kan använda direkt i ditt arbete.',
  'Kursen passar både nybörjare och dig som vill fördjupa dina kunskaper.',
  'Deltagare från kommuner och myndigheter är välkomna att delta tillsammans med föreningarna.',
  'Materialet finns på lättläst svenska.',
  'Vi går igenom lagar, avtal och goda exempel från regionen.',
  'Efter utbildningen får du ett intyg om deltagande.',
];

export const THEMES = Object.keys(TITLES);
export const FORMATS = Object.keys(FORMAT_WORDS);
export const ACCESSIBILITY = [
  'step_free_access', 'accessible_toilet', 'parking_dropoff', 'induction_loop', 'speech_to_text', 'sign_language', 'captions',
  'audio_description', 'large_print', 'braille', 'daisy', 'sighted_guide', 'easy_to_read', 'picture_support', 'regular_breaks',
  'scent_free', 'special_diets',
];
export const MUNICIPALITIES = [
  '0305', '0330', '0331', '0380', '0428', '0461', '0480', '0481', '0482', '0483', '0484', '0486', '0488', '0509', '0512', '0513',
  '0560', '0561', '0562', '0563', '0580', '0581', '0582', '0583', '0584', '0586', '1814', '1860', '1861', '1862', '1863', '1864',
  '1880', '1881', '1882', '1883', '1884', '1885', '1904', '1907', '1960', '1961', '1962', '1980', '1981', '1982', '1983', '1984',
];

/** mulberry32: a small deterministic PRNG. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedOffering {
  providerIndex: number;
  title: string;
  description: string;
  themeCodes: string[];
  format: string;
  level: string;
  targetGroups: string[];
  accessibilityFeatures: string[];
  hours: number;
  priceSek: number;
  status: 'draft' | 'published';
}

export interface GeneratedSession {
  offeringIndex: number;
  startsAt: Date;
  endsAt: Date;
  municipalityCode: string | null;
  online: boolean;
  venue: string | null;
  capacity: number;
  seatsTaken: number;
  requiresApproval: boolean;
}

/**
 * `offerings` offerings over `providers` providers with `sessionsPerOffering` sessions on average,
 * starting between one day and `horizonDays` after `now`; about one in eight is online only.
 */
export function generateCatalogue(options: {
  seed: number;
  providers: number;
  offerings: number;
  sessionsPerOffering: number;
  now: Date;
  horizonDays: number;
  draftShare?: number;
}): { offerings: GeneratedOffering[]; sessions: GeneratedSession[] } {
  const rnd = random(options.seed);
  const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)];
  const some = <T>(list: T[], max: number): T[] => [...new Set(Array.from({ length: 1 + Math.floor(rnd() * max) }, () => pick(list)))];
  const offerings: GeneratedOffering[] = [];
  const sessions: GeneratedSession[] = [];
  for (let i = 0; i < options.offerings; i++) {
    const themes = some(THEMES, 2);
    const format = pick(FORMATS);
    const title = `${pick(TITLES[themes[0]])}${rnd() < 0.5 ? ` – ${FORMAT_WORDS[format]}` : ''}`;
    const description = [
      `En ${FORMAT_WORDS[format]} om ${title.toLowerCase()}.`,
      ...Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => pick(SENTENCES)),
    ].join(' ');
    const group = rnd();
    offerings.push({
      providerIndex: Math.floor(rnd() * options.providers),
      title,
      description,
      themeCodes: themes,
      format,
      level: pick(['introductory', 'intermediate', 'advanced']),
      targetGroups: group < 0.5 ? ['social_economy', 'public_sector'] : group < 0.85 ? ['social_economy'] : ['public_sector'],
      accessibilityFeatures: rnd() < 0.2 ? [] : some(ACCESSIBILITY, 5),
      hours: format === 'higher_ed_course' ? 40 + Math.floor(rnd() * 160) : 3 + Math.floor(rnd() * 24),
      priceSek: rnd() < 0.6 ? 0 : 100 * Math.floor(rnd() * 40),
      status: rnd() < (options.draftShare ?? 0.05) ? 'draft' : 'published',
    });
    const count = Math.max(1, Math.round(options.sessionsPerOffering + (rnd() - 0.5) * 2));
    for (let k = 0; k < count; k++) {
      const startsAt = new Date(options.now.getTime() + (1 + rnd() * (options.horizonDays - 1)) * 86_400_000);
      startsAt.setUTCHours(7 + Math.floor(rnd() * 6), 0, 0, 0);
      const online = format === 'online_course' || rnd() < 0.12;
      const municipalityCode = online && rnd() < 0.8 ? null : pick(MUNICIPALITIES);
      const capacity = format === 'lecture_series' ? 40 + Math.floor(rnd() * 160) : 8 + Math.floor(rnd() * 25);
      sessions.push({
        offeringIndex: i,
        startsAt,
        endsAt: new Date(startsAt.getTime() + (2 + Math.floor(rnd() * 6)) * 3_600_000),
        municipalityCode,
        online: online || municipalityCode === null,
        venue: municipalityCode ? `${pick(['Folkets hus', 'Medborgarhuset', 'Stadsbiblioteket', 'Kulturhuset', 'Föreningsgården'])}, sal ${1 + Math.floor(rnd() * 5)}` : null,
        capacity,
        seatsTaken: rnd() < 0.15 ? capacity : Math.floor(rnd() * capacity * 0.8),
        requiresApproval: rnd() < 0.25,
      });
    }
  }
  return { offerings, sessions };
}
