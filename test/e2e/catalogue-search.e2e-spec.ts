import { startTestApp, type TestApp } from '../support/app.js';
import { givenOffering, givenProvider, givenPublishedOffering, givenSession, givenStaff } from '../support/catalogue-factories.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { givenUser, type GivenUser } from '../support/factories.js';

interface Hit {
  id: string;
  title: string;
  rank: number | null;
  distance: number | null;
  sessions: Array<{ id: string; seatsLeft: number; municipalityCode: string | null; online: boolean; startsAt: string }>;
}

describe('catalogue: public search', () => {
  let db: TestDatabase;
  let app: TestApp;
  let staff: GivenUser;
  let providerId: string;
  const ids: Record<string, string> = {};
  const sessions: Record<string, string[]> = {};

  const search = async (query: string): Promise<{ items: Hit[]; total: number }> => (await app.http.get(`/api/v1/offerings?${query}`).expect(200)).body;
  const found = async (query: string) => (await search(query)).items.map((hit) => hit.id);
  /** The trigger-kept prefilter column of an offering. */
  const places = async (key: string) => (await db.query<{ places: string[] }>('SELECT places FROM offerings WHERE id = $1', [ids[key]]))[0].places;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp({ databaseUrl: db.url });
    const ctx = { app, db };
    const coordinator = await givenUser(ctx, { coordinator: true });
    providerId = (await givenProvider(ctx, coordinator)).id;
    staff = await givenStaff(ctx, providerId);
    const publish = async (key: string, overrides: Record<string, unknown>, sessionList: Array<{ days?: number } & Record<string, unknown>>) => {
      const offering = await givenPublishedOffering(ctx, staff, providerId, overrides, sessionList);
      ids[key] = offering.id;
      sessions[key] = offering.sessionIds;
    };
    // Heby (0331, county 03), in 10 days; full; hearing loop and step-free
    await publish(
      'bookkeeping',
      {
        title: 'Grundläggande utbildning i bokföring',
        description: 'Bokföring och bokslut för små föreningar.',
        themeCodes: ['finance_accounting'],
        format: 'study_circle',
        accessibilityFeatures: ['step_free_access', 'induction_loop'],
        targetGroups: ['social_economy'],
      },
      [{ days: 10, municipalityCode: '0331', capacity: 5 }],
    );
    // Uppsala (0380, county 03), in 60 days; description mentions utbildning only
    await publish(
      'procurement',
      {
        title: 'Offentlig upphandling för sociala företag',
        description: 'En utbildning om LOU och avtal med kommuner.',
        themeCodes: ['public_procurement', 'local_partnerships'],
        format: 'short_course',
        accessibilityFeatures: ['step_free_access'],
        targetGroups: ['social_economy', 'public_sector'],
      },
      [{ days: 60, municipalityCode: '0380' }],
    );
    // Linköping (0580, county 05) in 20 days, and online only in 30 days
    await publish(
      'gender',
      {
        title: 'Jämställdhet i praktiken',
        description: 'Föreläsningar om jämställdhetsarbete på arbetsplatsen.',
        themeCodes: ['gender_equality'],
        format: 'lecture_series',
        accessibilityFeatures: [],
        targetGroups: ['public_sector'],
      },
      [{ days: 20, municipalityCode: '0580' }, { days: 30, municipalityCode: undefined, online: true, venue: undefined }],
    );
    // online only, in 5 days
    await publish(
      'digital',
      { title: 'Digitala verktyg för volontärsamordning', description: 'Distanskurs.', themeCodes: ['digital_skills', 'volunteers'], format: 'online_course', accessibilityFeatures: ['captions'] },
      [{ days: 5, municipalityCode: undefined, online: true, venue: undefined }],
    );
    // a draft and an archived offering that would match every text query about utbildning
    ids.draft = (await givenOffering(ctx, staff, providerId, { title: 'Hemlig utbildning (utkast)' })).id;
    await givenSession(ctx, staff, ids.draft, 15);
    await publish('archived', { title: 'Gammal utbildning i bokföring' }, [{ days: 15 }]);
    await app.http.post(`/api/v1/offerings/${ids.archived}/archive`).set(staff.auth).expect(200);
    // the bookkeeping session is full
    await db.query('UPDATE sessions SET seats_taken = capacity WHERE id = $1', [sessions.bookkeeping[0]]);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('lists published offerings with upcoming sessions only, by start date, with the total; never drafts or archived ones', async () => {
    const page = await search('');
    expect(page.total).toBe(4);
    expect(page.items.map((hit) => hit.id)).toEqual([ids.digital, ids.bookkeeping, ids.gender, ids.procurement]);
    expect(page.items.flatMap((hit) => hit.id)).not.toContain(ids.draft);
    expect(page.items.find((hit) => hit.id === ids.bookkeeping)!.sessions).toEqual([expect.objectContaining({ seatsLeft: 0, municipalityCode: '0331' })]);
    expect(await found('q=utkast')).toEqual([]);
  });

  it('a hit is field for field the public offering view (the database builds the search JSON, the service the view)', async () => {
    const page = await search('q=utbildning');
    expect(page.items.length).toBeGreaterThan(0);
    for (const hit of (await search('')).items.concat(page.items)) {
      const { rank, distance, sessions: hitSessions, ...offering } = hit as Hit & Record<string, unknown>;
      const { sessions: allSessions, ...view } = (await app.http.get(`/api/v1/offerings/${hit.id}`).expect(200)).body;
      expect(offering).toEqual(view);
      expect(typeof rank === 'number' || rank === null).toBe(true);
      expect(distance).toBeNull();
      expect(hitSessions.length).toBeGreaterThan(0);
      for (const session of hitSessions) expect(session).toEqual(allSessions.find((s: { id: string }) => s.id === session.id));
    }
  });

  it('finds Swedish inflections ("utbildningar" finds "utbildning"), title matches ranked first', async () => {
    const hits = (await search('q=utbildningar')).items;
    expect(hits.map((hit) => hit.id)).toEqual([ids.bookkeeping, ids.procurement]);
    expect(hits[0].rank!).toBeGreaterThan(hits[1].rank!);
    expect(await found('q=bokf%C3%B6ringen')).toEqual([ids.bookkeeping]);
    expect(await found('q=f%C3%B6rel%C3%A4sning')).toEqual([ids.gender]);
  });

  it('filters by theme and format (any of the given)', async () => {
    expect((await found('theme=local_partnerships,gender_equality')).sort()).toEqual([ids.procurement, ids.gender].sort());
    expect(await found('format=study_circle')).toEqual([ids.bookkeeping]);
    expect(await found('theme=public_procurement&format=study_circle')).toEqual([]);
  });

  it('accessibility: only offerings that provide ALL requested features', async () => {
    expect((await found('accessibility=step_free_access')).sort()).toEqual([ids.bookkeeping, ids.procurement].sort());
    expect(await found('accessibility=step_free_access,induction_loop')).toEqual([ids.bookkeeping]);
    expect(await found('accessibility=induction_loop,captions')).toEqual([]);
  });

  it('target group, municipality and county, online', async () => {
    expect((await found('targetGroup=public_sector')).sort()).toEqual([ids.procurement, ids.gender].sort());
    expect(await found('municipality=0331')).toEqual([ids.bookkeeping]);
    expect(await found('county=03')).toEqual([ids.bookkeeping, ids.procurement]);
    expect(await found('county=05')).toEqual([ids.gender]);
    // only the county's session of the gender offering is listed, not its online one
    expect((await search('county=05')).items[0].sessions).toEqual([
      expect.objectContaining({ municipalityCode: '0580', municipalityName: 'Linköping', countyCode: '05', online: false }),
    ]);
    const online = await search('online=true');
    expect(online.items.map((hit) => hit.id)).toEqual([ids.digital, ids.gender]);
    // only the matching (online) session of the gender offering is listed
    expect(online.items[1].sessions).toEqual([expect.objectContaining({ online: true, municipalityCode: null })]);
    expect(await found('online=false&county=05')).toEqual([ids.gender]);
  });

  it('date range over session starts (a date-only "to" includes the day)', async () => {
    const day = (n: number) => new Date(Date.now() + n * 86400_000).toISOString().slice(0, 10);
    expect(await found(`from=${day(8)}&to=${day(25)}`)).toEqual([ids.bookkeeping, ids.gender]);
    expect(await found(`from=${day(50)}`)).toEqual([ids.procurement]);
    expect(await found(`to=${day(10)}`)).toEqual([ids.digital, ids.bookkeeping]);
  });

  it('freeSeats=true leaves out full sessions', async () => {
    expect(await found('freeSeats=true&county=03')).toEqual([ids.procurement]);
  });

  it('near-sorting: same municipality, same county, online only, elsewhere', async () => {
    const hits = (await search('near=0331&sort=distance')).items;
    expect(hits.map((hit) => [hit.id, hit.distance])).toEqual([
      [ids.bookkeeping, 0],
      [ids.procurement, 1],
      [ids.digital, 2],
      [ids.gender, 2],
    ]);
    // Linköping itself: the gender offering's Linköping session makes it nearest
    expect((await search('near=0580')).items.map((hit) => [hit.id, hit.distance])).toEqual([
      [ids.gender, 0],
      [ids.digital, 2],
      [ids.bookkeeping, 3],
      [ids.procurement, 3],
    ]);
  });

  it('paginates with the total of all matches, also past the last page', async () => {
    const first = await search('limit=3');
    expect(first.total).toBe(4);
    expect(first.items).toHaveLength(3);
    const second = await search('limit=3&offset=3');
    expect(second).toMatchObject({ total: 4, items: [expect.objectContaining({ id: ids.procurement })] });
    expect(await search('limit=3&offset=30')).toEqual({ total: 4, items: [] });
  });

  it('place filters follow the sessions: moving a session moves the offering between municipalities and counties', async () => {
    expect(await places('gender')).toEqual(['0580', 'county:05', 'online']);
    const sid = sessions.procurement[0];
    await app.http.patch(`/api/v1/sessions/${sid}`).set(staff.auth).send({ municipalityCode: '0580' }).expect(200);
    try {
      expect(await places('procurement')).toEqual(['0580', 'county:05']);
      expect(await found('county=03')).toEqual([ids.bookkeeping]);
      expect(await found('county=05')).toEqual([ids.gender, ids.procurement]);
      expect(await found('municipality=0580&q=upphandling')).toEqual([ids.procurement]);
    } finally {
      await app.http.patch(`/api/v1/sessions/${sid}`).set(staff.auth).send({ municipalityCode: '0380' }).expect(200);
    }
    expect(await places('procurement')).toEqual(['0380', 'county:03']);
    expect(await found('county=03')).toEqual([ids.bookkeeping, ids.procurement]);
  });

  it('cancelled and past sessions do not count', async () => {
    await app.http.post(`/api/v1/sessions/${sessions.digital[0]}/cancel`).set(staff.auth).send({ reason: 'Inställd' }).expect(200);
    expect(await found('theme=digital_skills')).toEqual([]);
    expect(await places('digital')).toEqual([]);
    app.clock.advance(12 * 86400_000);
    try {
      expect(await found('theme=finance_accounting')).toEqual([]);
      expect(await found('')).toEqual([ids.gender, ids.procurement]);
    } finally {
      app.clock.reset();
    }
  });

  it('refuses bad filters with 400 naming the field', async () => {
    for (const [query, field] of [
      ['sort=distance', 'sort'],
      ['sort=relevance', 'sort'],
      ['near=9999', 'near'],
      ['near=Heby', 'near'],
      ['theme=Bad Code', 'theme'],
      ['from=igår', 'from'],
      ['from=2027-03-01&to=2027-02-01', 'to'],
      ['online=kanske', 'online'],
      ['limit=0', 'limit'],
      ['targetGroup=students', 'targetGroup'],
      ['county=3', 'county'],
    ]) {
      const res = await app.http.get(`/api/v1/offerings?${query}`).expect(400);
      expect({ query, code: res.body.code, fields: res.body.details.map((d: { field: string }) => d.field) }).toEqual({
        query,
        code: 'VALIDATION_FAILED',
        fields: expect.arrayContaining([field]),
      });
    }
  });
});

describe('catalogue: public search, explicit sorting and pagination', () => {
  let db: TestDatabase;
  let app: TestApp;
  const ids: Record<string, string> = {};

  const search = async (query: string): Promise<{ items: Hit[]; total: number }> => (await app.http.get(`/api/v1/offerings?${query}`).expect(200)).body;
  const found = async (query: string) => (await search(query)).items.map((hit) => hit.id);
  const keys = (list: string[]) => list.map((id) => Object.keys(ids).find((key) => ids[key] === id) ?? id);

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp({ databaseUrl: db.url });
    const ctx = { app, db };
    const coordinator = await givenUser(ctx, { coordinator: true });
    const providerId = (await givenProvider(ctx, coordinator)).id;
    const staff = await givenStaff(ctx, providerId);
    const publish = async (key: string, days: number, municipalityCode: string, title: string, description: string) => {
      ids[key] = (await givenPublishedOffering(ctx, staff, providerId, { title, description }, [{ days, municipalityCode }])).id;
    };
    // Three offerings about "upphandling" whose relevance order (title and text, title only, text
    // only) differs from both their start date order and their distance order from Linköping.
    await publish('textOnly', 5, '0331', 'Ekonomi för små föreningar', 'Budget, bokslut och lite om upphandling.');
    await publish('titleAndText', 15, '0380', 'Upphandling för sociala företag', 'Upphandling, anbud och upphandlingar enligt LOU.');
    await publish('titleOnly', 25, '0580', 'Offentlig upphandling', 'Avtal med kommunen.');
    // four more without the word, for pages of the unfiltered list
    await publish('environment', 8, '0380', 'Arbetsmiljö och hälsa', 'Systematiskt arbetsmiljöarbete.');
    await publish('volunteers', 12, '1880', 'Att arbeta med volontärer', 'Rekrytera och behålla frivilliga.');
    await publish('board', 20, '0581', 'Styrelsearbete som fungerar', 'Ledarskap i föreningen.');
    await publish('digital', 30, '1980', 'Digitala verktyg', 'Sociala medier och kommunikation.');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('with q the default is relevance; sort=relevance says the same explicitly, best rank first', async () => {
    const byDefault = await search('q=upphandling');
    const explicit = await search('q=upphandling&sort=relevance');
    expect(keys(explicit.items.map((hit) => hit.id))).toEqual(['titleAndText', 'titleOnly', 'textOnly']);
    expect(explicit).toEqual(byDefault);
    const ranks = explicit.items.map((hit) => hit.rank!);
    expect(ranks[0]).toBeGreaterThan(ranks[1]);
    expect(ranks[1]).toBeGreaterThan(ranks[2]);
  });

  it('sort=startDate with q: the earliest session first, overriding relevance (ranks still reported)', async () => {
    const page = await search('q=upphandling&sort=startDate');
    expect(keys(page.items.map((hit) => hit.id))).toEqual(['textOnly', 'titleAndText', 'titleOnly']);
    expect(page.total).toBe(3);
    const relevance = await search('q=upphandling&sort=relevance');
    // the very same hits and ranks, in another order
    const rankOf = (items: Hit[]) => Object.fromEntries(items.map((hit) => [hit.id, hit.rank]));
    expect(rankOf(page.items)).toEqual(rankOf(relevance.items));
    expect(page.items.every((hit) => typeof hit.rank === 'number' && hit.rank > 0)).toBe(true);
  });

  it('sort=startDate with near overrides the distance default; sort=distance with q overrides relevance', async () => {
    expect(keys(await found('near=0580'))).toEqual(['titleOnly', 'board', 'textOnly', 'environment', 'volunteers', 'titleAndText', 'digital']);
    const byDate = await search('near=0580&sort=startDate');
    expect(keys(byDate.items.map((hit) => hit.id))).toEqual(['textOnly', 'environment', 'volunteers', 'titleAndText', 'board', 'titleOnly', 'digital']);
    // distances are still reported (Linköping 0580 and Norrköping 0581 are in county 05)
    expect(byDate.items.map((hit) => hit.distance)).toEqual([3, 3, 3, 3, 1, 0, 3]);
    const near = await search('q=upphandling&near=0580&sort=distance');
    expect(near.items.map((hit) => [keys([hit.id])[0], hit.distance])).toEqual([
      ['titleOnly', 0],
      ['textOnly', 3],
      ['titleAndText', 3],
    ]);
  });

  it('refuses sorts that cannot apply, and unknown sort values, with 400 VALIDATION_FAILED naming the field sort', async () => {
    for (const [query, message] of [
      ['sort=relevance', /\bq\b/],
      ['sort=relevance&near=0331', /\bq\b/],
      ['sort=distance', /\bnear\b/],
      ['sort=distance&q=upphandling', /\bnear\b/],
      ['sort=price', /relevance, startDate, distance/],
      ['sort=startdate', /relevance, startDate, distance/],
      ['sort=', /relevance, startDate, distance/],
      ['q=upphandling&sort=rank', /relevance, startDate, distance/],
    ] as const) {
      const res = await app.http.get(`/api/v1/offerings?${query}`);
      expect({ query, status: res.status, body: res.body }).toEqual({
        query,
        status: 400,
        body: {
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: expect.any(String),
          details: [{ field: 'sort', messages: [expect.stringMatching(message)] }],
          requestId: expect.any(String),
        },
      });
    }
  });

  it('limit and offset return the right slice of the order, each page with the same total', async () => {
    const all = await search('limit=100');
    const order = all.items.map((hit) => hit.id);
    expect(keys(order)).toEqual(['textOnly', 'environment', 'volunteers', 'titleAndText', 'board', 'titleOnly', 'digital']);
    expect(all.total).toBe(7);
    for (const [limit, offset] of [
      [2, 0],
      [2, 2],
      [2, 4],
      [2, 6],
      [3, 1],
      [1, 6],
      [7, 0],
      [10, 5],
    ]) {
      const page = await search(`limit=${limit}&offset=${offset}`);
      expect({ limit, offset, total: page.total, ids: keys(page.items.map((hit) => hit.id)) }).toEqual({
        limit,
        offset,
        total: 7,
        ids: keys(order.slice(offset, offset + limit)),
      });
    }
    // pages also follow an explicit sort and a filter; total counts all matches, not the page
    const relevance = ['titleAndText', 'titleOnly', 'textOnly'];
    for (let offset = 0; offset < 4; offset++) {
      const page = await search(`q=upphandling&sort=relevance&limit=1&offset=${offset}`);
      expect({ offset, total: page.total, ids: keys(page.items.map((hit) => hit.id)) }).toEqual({ offset, total: 3, ids: relevance.slice(offset, offset + 1) });
    }
    const distance = await search('near=0580&sort=distance&limit=3&offset=2');
    expect({ total: distance.total, ids: keys(distance.items.map((hit) => hit.id)) }).toEqual({ total: 7, ids: ['textOnly', 'environment', 'volunteers'] });
  });

  it('refuses a limit or offset out of range with 400 naming the field', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=two', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=1.5', 'offset'],
    ]) {
      const res = await app.http.get(`/api/v1/offerings?${query}`);
      expect({ query, status: res.status, code: res.body.code, fields: res.body.details.map((d: { field: string }) => d.field) }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: [field],
      });
    }
  });
});
