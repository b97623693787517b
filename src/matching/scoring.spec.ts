import fc from 'fast-check';
import { rankCandidates, scoreMatch, seasonOf, WEIGHTS, type Candidate, type Need } from './scoring.js';

const need = (overrides: Partial<Need> = {}): Need => ({
  themeCode: 'public_procurement',
  preferredFormats: ['short_course', 'study_circle'],
  municipalityCode: '0380',
  countyCode: '03',
  online: false,
  accessibilityNeeds: [],
  period: null,
  targetGroup: 'social_economy',
  languages: [],
  ...overrides,
});

const candidate = (overrides: Partial<Candidate> = {}): Candidate => ({
  themeCodes: ['public_procurement'],
  format: 'short_course',
  municipalityCode: '0380',
  countyCode: '03',
  online: false,
  accessibilityFeatures: [],
  startsAt: new Date('2027-03-01T08:00:00Z'),
  seatsLeft: 5,
  waitlistOpen: true,
  targetGroups: ['social_economy'],
  language: 'sv',
  ...overrides,
});

describe('scoreMatch', () => {
  it('weights add up to 100 for a perfect match', () => {
    const perfect = scoreMatch(need(), candidate());
    expect(perfect).toMatchObject({ excluded: false, score: 100 });
    expect(
      WEIGHTS.themeExact + WEIGHTS.formatByRank[0] + WEIGHTS.placeSameMunicipality + WEIGHTS.timingInPeriod + WEIGHTS.targetGroup + WEIGHTS.language,
    ).toBe(100);
  });

  it('explains itself in Swedish and English', () => {
    const features = new Map([['induction_loop', { sv: 'Hörslinga', en: 'Induction loop' }]]);
    const match = scoreMatch(need({ accessibilityNeeds: ['induction_loop'] }), candidate({ accessibilityFeatures: ['induction_loop'] }), new Map(), features);
    expect(match.excluded).toBe(false);
    if (match.excluded) return;
    expect(match.reasons.map((r) => r.sv)).toEqual(['Rätt tema', 'Önskad form', 'Samma kommun', 'Hörslinga finns']);
    expect(match.reasons.map((r) => r.en)).toContain('Same municipality');
  });

  it('excludes a session missing a stated accessibility need, saying which', () => {
    const features = new Map([['sign_language', { sv: 'Teckenspråkstolkning', en: 'Sign language interpreting' }]]);
    const match = scoreMatch(need({ accessibilityNeeds: ['sign_language'] }), candidate(), new Map(), features);
    expect(match).toEqual({
      excluded: true,
      reason: { code: 'accessibility_missing', sv: 'Saknar: Teckenspråkstolkning', en: 'Missing: Sign language interpreting' },
    });
  });

  it('excludes a full session without a waitlist but keeps one with a waitlist', () => {
    expect(scoreMatch(need(), candidate({ seatsLeft: 0, waitlistOpen: false }))).toMatchObject({ excluded: true, reason: { code: 'full' } });
    expect(scoreMatch(need(), candidate({ seatsLeft: 0, waitlistOpen: true }))).toMatchObject({ excluded: false });
  });

  it('gives partial credit for a parent theme', () => {
    const parents = new Map([['public_procurement', 'entrepreneurship']]);
    const match = scoreMatch(need(), candidate({ themeCodes: ['entrepreneurship'] }), parents);
    expect(match).toMatchObject({ excluded: false, score: 100 - WEIGHTS.themeExact + WEIGHTS.themeParent });
  });

  it('ranks place: same municipality > same county > online > elsewhere, and online first when asked for', () => {
    const places = [
      candidate({ municipalityCode: '0380', countyCode: '03' }),
      candidate({ municipalityCode: '0381', countyCode: '03' }),
      candidate({ municipalityCode: null, countyCode: null, online: true }),
      candidate({ municipalityCode: '1880', countyCode: '18' }),
    ];
    const scores = places.map((c) => (scoreMatch(need(), c) as { score: number }).score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(new Set(scores).size).toBe(4);
    const onlineFirst = rankCandidates(need({ online: true }), places);
    expect(onlineFirst[0].candidate.online).toBe(true);
  });

  it('respects the preferred period and the format ranking', () => {
    const period = { from: new Date('2027-02-01T00:00:00Z'), to: new Date('2027-02-28T23:59:59Z') };
    const inside = scoreMatch(need({ period }), candidate({ startsAt: new Date('2027-02-10T08:00:00Z') })) as { score: number };
    const outside = scoreMatch(need({ period }), candidate()) as { score: number };
    expect(inside.score - outside.score).toBe(WEIGHTS.timingInPeriod);
    const second = scoreMatch(need(), candidate({ format: 'study_circle' })) as { score: number };
    const other = scoreMatch(need(), candidate({ format: 'lecture_series' })) as { score: number };
    expect(100 - second.score).toBe(WEIGHTS.formatByRank[0] - WEIGHTS.formatByRank[1]);
    expect(100 - other.score).toBe(WEIGHTS.formatByRank[0]);
  });
});

describe('seasons', () => {
  it('places a moment in its Swedish season (winter wraps the year)', () => {
    expect(seasonOf(new Date('2027-03-01T08:00:00Z'))).toBe('spring');
    expect(seasonOf(new Date('2027-08-31T20:00:00Z'))).toBe('summer');
    // 23:30 UTC on 31 August is already 1 September in Stockholm.
    expect(seasonOf(new Date('2027-08-31T23:30:00Z'))).toBe('autumn');
    expect(seasonOf(new Date('2027-01-15T08:00:00Z'))).toBe('winter');
    expect(seasonOf(new Date('2027-12-15T08:00:00Z'))).toBe('winter');
  });

  it('gives the timing points only inside a preferred season', () => {
    const spring = scoreMatch(need({ seasons: ['spring'] }), candidate()) as { score: number; reasons: { code: string }[] };
    const autumn = scoreMatch(need({ seasons: ['autumn'] }), candidate()) as { score: number };
    expect(spring.score - autumn.score).toBe(WEIGHTS.timingInPeriod);
    expect(spring.reasons.map((r) => r.code)).toContain('in_period');
  });
});

describe('scoreMatch properties', () => {
  const codes = fc.constantFrom('public_procurement', 'entrepreneurship', 'gender_equality', 'digital_skills', 'volunteers');
  const formats = fc.constantFrom('short_course', 'study_circle', 'lecture_series', 'online_course');
  const features = fc.constantFrom('induction_loop', 'sign_language', 'easy_to_read', 'step_free_access', 'captions');
  const places = fc.constantFrom(
    { municipalityCode: '0380', countyCode: '03', online: false },
    { municipalityCode: '0381', countyCode: '03', online: false },
    { municipalityCode: '0580', countyCode: '05', online: false },
    { municipalityCode: null, countyCode: null, online: true },
  );
  const needArb: fc.Arbitrary<Need> = fc.record({
    themeCode: codes,
    preferredFormats: fc.uniqueArray(formats, { maxLength: 3 }),
    municipalityCode: fc.constantFrom('0380', '0580', null),
    countyCode: fc.constantFrom('03', '05', null),
    online: fc.boolean(),
    accessibilityNeeds: fc.uniqueArray(features, { maxLength: 2 }),
    period: fc.constantFrom(null, { from: new Date('2027-01-01T00:00:00Z'), to: new Date('2027-06-30T00:00:00Z') }),
    targetGroup: fc.constantFrom('social_economy' as const, 'public_sector' as const, null),
    languages: fc.constantFrom([], ['sv', 'en']),
  });
  const candidateArb: fc.Arbitrary<Candidate> = fc
    .record({
      themeCodes: fc.uniqueArray(codes, { minLength: 1, maxLength: 3 }),
      format: formats,
      place: places,
      accessibilityFeatures: fc.uniqueArray(features, { maxLength: 5 }),
      startsAt: fc.date({ min: new Date('2026-12-01T00:00:00Z'), max: new Date('2027-12-01T00:00:00Z'), noInvalidDate: true }),
      seatsLeft: fc.integer({ min: 0, max: 30 }),
      waitlistOpen: fc.boolean(),
      targetGroups: fc.uniqueArray(fc.constantFrom('social_economy', 'public_sector'), { minLength: 1 }),
      language: fc.constantFrom('sv', 'en'),
    })
    .map(({ place, ...rest }) => ({ ...rest, ...place }));
  const parents = new Map([['public_procurement', 'entrepreneurship']]);

  it('adding a matching theme never lowers a score', () => {
    fc.assert(
      fc.property(needArb, candidateArb, (n, c) => {
        const before = scoreMatch(n, c, parents);
        const after = scoreMatch(n, { ...c, themeCodes: [...new Set([...c.themeCodes, n.themeCode])] }, parents);
        if (before.excluded) return after.excluded;
        return !after.excluded && after.score >= before.score;
      }),
    );
  });

  it('a session missing a required accessibility feature never appears in a ranking', () => {
    fc.assert(
      fc.property(needArb, fc.array(candidateArb, { maxLength: 12 }), (n, cs) =>
        rankCandidates(n, cs, parents).every(({ candidate: c }) => n.accessibilityNeeds.every((f) => c.accessibilityFeatures.includes(f))),
      ),
    );
  });

  it('of two sessions equal but for place, the nearer one ranks higher', () => {
    fc.assert(
      fc.property(needArb, candidateArb, (n, c) => {
        const inPerson = { ...n, online: false, municipalityCode: '0380', countyCode: '03' };
        const near = { ...c, municipalityCode: '0380', countyCode: '03', online: false };
        const county = { ...c, municipalityCode: '0381', countyCode: '03', online: false };
        const far = { ...c, municipalityCode: '0580', countyCode: '05', online: false };
        const ranked = rankCandidates(inPerson, [far, county, near], parents).map((r) => r.candidate);
        return ranked.length === 0 || (ranked[0] === near && ranked[1] === county && ranked[2] === far);
      }),
    );
  });

  it('scores stay within 0–100', () => {
    fc.assert(
      fc.property(needArb, candidateArb, (n, c) => {
        const m = scoreMatch(n, c, parents);
        return m.excluded || (m.score >= 0 && m.score <= 100);
      }),
    );
  });
});
