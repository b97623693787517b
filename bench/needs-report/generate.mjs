/**
 * Data for the needs-report benchmark, generated inside PostgreSQL (fast, deterministic shape):
 * organisations spread over the 48 municipalities, legal forms and sectors; statements over all
 * themes with gender counts, formats, places, periods; assessments for most organisations; and
 * published supply over the coming six months.
 */
export async function generateOrganisations(client, count) {
  await client.query(
    `INSERT INTO organisations (name, org_number, legal_form, sector, municipality_code)
     SELECT 'Benchförening ' || g,
            '8' || lpad(g::text, 5, '0') || '-' || lpad((g % 10000)::text, 4, '0'),
            (ARRAY['ideell_forening','ekonomisk_forening','stiftelse','aktiebolag','trossamfund','kommun'])[1 + g % 6],
            CASE WHEN g % 10 = 0 THEN 'public' ELSE 'social_economy' END,
            m.codes[1 + g % array_length(m.codes, 1)]
       FROM generate_series(1, $1) g, (SELECT array_agg(code ORDER BY code) AS codes FROM municipalities) m`,
    [count],
  );
}

/** The same statements on every run: random() seeded, organisations in org_number order (their ids are random uuids). */
export async function generateStatements(client, roundId, count) {
  await client.query('SELECT setseed(0.42)');
  await client.query(
    `INSERT INTO needs_statements (round_id, organisation_id, theme_code, people, women, men, other_gender, preferred_formats,
                                   municipality_code, online, preferred_periods, preferred_time_of_day, priority, accessibility_needs)
     SELECT $1, o.ids[1 + s.g % array_length(o.ids, 1)],
            t.codes[1 + (s.g * 7 + (s.r1 * 5)::int) % array_length(t.codes, 1)],
            s.p, s.w, s.m, LEAST(CASE WHEN s.g % 40 = 0 THEN 1 ELSE 0 END, s.p - s.w - s.m),
            ARRAY[f.codes[1 + s.g % 7], f.codes[1 + (s.g + 3) % 7]],
            CASE WHEN s.g % 5 = 0 THEN mu.codes[1 + s.g % array_length(mu.codes, 1)] END,
            s.g % 10 = 1,
            ARRAY[(ARRAY['spring','summer','autumn','winter'])[1 + s.g % 4]],
            (ARRAY['morning','afternoon','evening','full_day','any'])[1 + s.g % 5],
            (ARRAY['high','medium','low'])[1 + s.g % 3],
            CASE WHEN s.g % 20 = 0 THEN ARRAY['induction_loop'] ELSE '{}' END
       FROM (SELECT g, p, floor(p * r1 * 0.6)::int AS w, floor((p - floor(p * r1 * 0.6)) * r2)::int AS m, r1
               FROM (SELECT g, 1 + (random() * 29)::int AS p, random() AS r1, random() AS r2 FROM generate_series(1, $2) g) x) s,
            (SELECT array_agg(i.organisation_id ORDER BY org.org_number) AS ids FROM needs_round_organisations i JOIN organisations org ON org.id = i.organisation_id WHERE i.round_id = $1) o,
            (SELECT array_agg(code ORDER BY sort_order) AS codes FROM themes) t,
            (SELECT array_agg(code ORDER BY sort_order) AS codes FROM formats) f,
            (SELECT array_agg(code ORDER BY code) AS codes FROM municipalities) mu`,
    [roundId, count],
  );
}

export async function generateAssessments(client, roundId, share) {
  await client.query(
    `INSERT INTO needs_assessments (round_id, organisation_id, gender_plan, gender_trained, gender_wants_training,
                                    accessibility_knowledge, accessibility_wants_training, support_needs, follow_up_methods, channels, cooperating_projects)
     SELECT round_id, organisation_id, (ARRAY['yes','in_progress','no','dont_know'])[1 + n % 4], n % 3 = 0, n % 2 = 0,
            1 + n % 5, n % 3 <> 0, ARRAY['mentoring','financing'], ARRAY['survey_after_course'], ARRAY['email','social_media'],
            CASE WHEN n % 7 = 0 THEN ARRAY['Projekt ' || (n % 30)] ELSE '{}' END
       FROM (SELECT round_id, organisation_id, row_number() OVER (ORDER BY organisation_id) AS n
               FROM needs_round_organisations WHERE round_id = $1) i
      WHERE random() < $2`,
    [roundId, share],
  );
}

export async function generateSupply(client, offerings) {
  const [{ id: providerId }] = (
    await client.query(`INSERT INTO providers (name, kind) VALUES ('Benchförbundet ' || gen_random_uuid(), 'study_association') RETURNING id`)
  ).rows;
  await client.query(
    `WITH o AS (
       INSERT INTO offerings (provider_id, title, description, theme_codes, format, target_groups, status, published_at)
       SELECT $1, 'Kurs ' || g, 'Beskrivning', ARRAY[t.codes[1 + g % array_length(t.codes, 1)]], 'short_course', '{social_economy}', 'published', now()
         FROM generate_series(1, $2) g, (SELECT array_agg(code ORDER BY sort_order) AS codes FROM themes) t
       RETURNING id)
     INSERT INTO sessions (offering_id, starts_at, ends_at, municipality_code, capacity, seats_taken, booking_closes_at)
     SELECT o.id, now() + (random() * 170 + 1) * interval '1 day', now() + (random() * 170 + 1) * interval '1 day' + interval '200 days',
            '0380', 20, (random() * 10)::int, now() + interval '1 day'
       FROM o`,
    [providerId, offerings],
  );
}
