-- The booking as the app wrote it before the one-statement booking, kept as a second ceiling for
-- reference: conditional seat update, booking insert, outbox insert (with an email and calendar
-- attachment of the size the app writes), one transaction of five round trips.
\set s random(1, :sessions)
BEGIN;
UPDATE sessions SET seats_taken = seats_taken + 1
 WHERE id = (SELECT id FROM bench_sessions WHERE run = :run AND n = :s) AND seats_taken < capacity RETURNING seats_taken;
INSERT INTO bookings (session_id, user_id, booked_by_user_id, organisation_id, status, accessibility_requests, note, confirmed_at, created_at, updated_at)
SELECT bs.id, bu.id, bu.id, NULL, 'confirmed', '{}', NULL, now(), now(), now()
  FROM bench_sessions bs, bench_users bu
 WHERE bs.run = :run AND bs.n = :s AND bu.n = (SELECT nextval('bench_user_seq')) RETURNING id;
INSERT INTO mail_outbox (dedupe_key, to_address, template, locale, subject, text_body, html_body, attachments, next_attempt_at, message_id)
VALUES ('bench:' || gen_random_uuid() || ':confirmed', 'bench@example.se', 'booking-confirmed', 'sv', 'Bokningen är klar: Offentlig upphandling',
        repeat('t', 700), repeat('h', 1800), jsonb_build_array(jsonb_build_object('filename', 'kurstillfalle.ics', 'contentType', 'text/calendar', 'content', repeat('c', 1500))),
        now(), '<' || gen_random_uuid() || '@kompetenslyft.se>');
END;
