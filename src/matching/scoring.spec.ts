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

  describe('place', () => {
    /** The model's place order (scoring.ts): same municipality > same county > online > elsewhere; online first when asked for. */
    type Tier = 'same_municipality' | 'same_county' | 'online' | 'elsewhere';
    const ORDER: Record<'inPerson' | 'onlineWanted', Tier[]> = {
      inPerson: ['same_municipality', 'same_county', 'online', 'elsewhere'],
      onlineWanted: ['online', 'same_municipality', 'same_county', 'elsewhere'],
    };
    const tierOf = (n: Need, c: Candidate): Tier =>
      c.online
        ? 'online'
        : n.municipalityCode !== null && c.municipalityCode === n.municipalityCode
          ? 'same_municipality'
          : n.countyCode !== null && c.countyCode === n.countyCode
            ? 'same_county'
            : 'elsewhere';
    const rankOf = (n: Need, c: Candidate) => ORDER[n.online ? 'onlineWanted' : 'inPerson'].indexOf(tierOf(n, c));

    /** Every kind of place, in two counties and a third: in person, online, and online with a place (hybrid). */
    const PLACES = [
      { municipalityCode: '0380', countyCode: '03', online: false },
      { municipalityCode: '0381', countyCode: '03', online: false },
      { municipalityCode: '0580', countyCode: '05', online: false },
      { municipalityCode: '0581', countyCode: '05', online: false },
      { municipalityCode: '1880', countyCode: '18', online: false },
      { municipalityCode: null, countyCode: null, online: true },
      { municipalityCode: '0380', countyCode: '03', online: true },
    ];
    /** Any need: asking for online or not, with a municipality (and its county), only a county, or neither. */
    const needPlaces = fc.constantFrom(
      { municipalityCode: '0380', countyCode: '03' },
      { municipalityCode: '0580', countyCode: '05' },
      { municipalityCode: null, countyCode: '03' },
      { municipalityCode: null, countyCode: null },
    );
    const anyNeed: fc.Arbitrary<Need> = fc
      .record({ need: needArb, place: needPlaces, seasons: fc.uniqueArray(fc.constantFrom('spring' as const, 'summer' as const, 'autumn' as const, 'winter' as const), { maxLength: 2 }) })
      .map(({ need: n, place, seasons }) => ({ ...n, ...place, seasons }));
    /** A candidate the need never excludes: every needed feature provided, and seats left or a waitlist open. */
    const kept = (n: Need, c: Candidate): Candidate => ({
      ...c,
      accessibilityFeatures: [...new Set([...c.accessibilityFeatures, ...n.accessibilityNeeds])],
      waitlistOpen: c.seatsLeft > 0 ? c.waitlistOpen : true,
    });

    it('of sessions equal but for place, the nearer one (by the model\'s order) ranks and scores higher; equally near ones score alike', () => {
      const seen = new Set<string>();
      fc.assert(
        fc.property(anyNeed, candidateArb, fc.shuffledSubarray(PLACES, { minLength: PLACES.length }), (n, c, places) => {
          const base = kept(n, c);
          const sessions = places.map((place) => ({ ...base, ...place }));
          const ranked = rankCandidates(n, sessions, parents);
          // Never vacuous: every session is ranked.
          expect(ranked).toHaveLength(sessions.length);
          const position = new Map(ranked.map((r, i) => [r.candidate, i]));
          const score = new Map(ranked.map((r) => [r.candidate, r.match.score]));
          for (const a of sessions) {
            for (const b of sessions) {
              if (rankOf(n, a) < rankOf(n, b)) {
                seen.add(`${n.online ? 'online wanted' : 'in person'}: ${tierOf(n, a)} > ${tierOf(n, b)}`);
                expect(position.get(a)!).toBeLessThan(position.get(b)!);
                expect(score.get(a)!).toBeGreaterThan(score.get(b)!);
              } else if (rankOf(n, a) === rankOf(n, b)) {
                expect(score.get(a)).toBe(score.get(b));
              }
            }
          }
        }),
        { numRuns: 300 },
      );
      // Every step of both orders was compared.
      for (const [wanted, order] of [['in person', ORDER.inPerson], ['online wanted', ORDER.onlineWanted]] as const) {
        for (let i = 0; i < order.length; i++) {
          for (let j = i + 1; j < order.length; j++) expect(seen).toContain(`${wanted}: ${order[i]} > ${order[j]}`);
        }
      }
    });

    it('follows the model\'s place order for a need in Uppsala (0380, county 03), with and without online asked for', () => {
      const n = need({ municipalityCode: '0380', countyCode: '03', accessibilityNeeds: [] });
      const [sameMunicipality, sameCounty, , , elsewhere, online, hybrid] = PLACES.map((place) => candidate(place));
      const titles = new Map<Candidate, string>([
        [sameMunicipality, 'same municipality'],
        [sameCounty, 'same county'],
        [online, 'online'],
        [hybrid, 'online with a place'],
        [elsewhere, 'elsewhere'],
      ]);
      const order = (asked: Need) => rankCandidates(asked, [elsewhere, online, hybrid, sameCounty, sameMunicipality], parents).map((r) => [titles.get(r.candidate), r.match.score]);
      // Equal online scores tie on start, so they keep their input order (online before hybrid).
      expect(order(n)).toEqual([
        ['same municipality', 100],
        ['same county', 100 - WEIGHTS.placeSameMunicipality + WEIGHTS.placeSameCounty],
        ['online', 100 - WEIGHTS.placeSameMunicipality + WEIGHTS.placeOnline],
        ['online with a place', 100 - WEIGHTS.placeSameMunicipality + WEIGHTS.placeOnline],
        ['elsewhere', 100 - WEIGHTS.placeSameMunicipality + WEIGHTS.placeElsewhere],
      ]);
      expect(order({ ...n, online: true })).toEqual([
        ['online', 100 - WEIGHTS.placeSameMunicipality + WEIGHTS.placeOnlinePreferred],
        ['online with a place', 100 - WEIGHTS.placeSameMunicipality + WEIGHTS.placeOnlinePreferred],
        ['same municipality', 100 - WEIGHTS.placeSameMunicipality + WEIGHTS.placeSameCounty],
        ['same county', 100 - WEIGHTS.placeSameMunicipality + WEIGHTS.placeOnline],
        ['elsewhere', 100 - WEIGHTS.placeSameMunicipality + WEIGHTS.placeElsewhere],
      ]);
    });
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
