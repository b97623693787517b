-- The ceiling for sessions that fill (the `rush` and `fill` scenarios): one booking as one statement,
-- straight to PostgreSQL, in autocommit. It locks the session row, takes a seat when one is free,
-- else joins the waitlist with its position (the waitlist's length, kept on the session row as the
-- app keeps it, so no count), and writes the booking and its email: the confirmation with its
-- calendar attachment, or the waitlist email with the position, of about the sizes the app writes.
-- Session and person are picked from the bench tables; the booking id is gen_random_uuid() here.
-- run.mjs runs it with -M prepared, as the app prepares its statements.
\set s random(1, :sessions)
WITH cur AS (SELECT id, seats_taken < capacity AS seat, waitlist_length + 1 AS position
               FROM sessions WHERE id = (SELECT id FROM bench_sessions WHERE run = :run AND n = :s) FOR UPDATE),
     moved AS (UPDATE sessions s SET seats_taken = s.seats_taken + CASE WHEN cur.seat THEN 1 ELSE 0 END,
                                     waitlist_length = s.waitlist_length + CASE WHEN cur.seat THEN 0 ELSE 1 END
                 FROM cur WHERE s.id = cur.id RETURNING s.id),
     booked AS (INSERT INTO bookings (session_id, id, user_id, booked_by_user_id, organisation_id, status, accessibility_requests, note,
                                      confirmed_at, waitlist_seq, waitlisted_at, created_at, updated_at)
                SELECT cur.id, gen_random_uuid(), bu.id, bu.id, NULL, CASE WHEN cur.seat THEN 'confirmed' ELSE 'waitlisted' END, '{}', NULL,
                       CASE WHEN cur.seat THEN now() END, CASE WHEN cur.seat THEN NULL ELSE nextval('bookings_waitlist_seq') END,
                       CASE WHEN cur.seat THEN NULL ELSE now() END, now(), now()
                  FROM cur JOIN moved ON moved.id = cur.id, bench_users bu WHERE bu.n = (SELECT nextval('bench_user_seq'))
                RETURNING id, status),
     outbox AS (INSERT INTO mail_outbox (dedupe_key, to_address, template, locale, subject, text_body, html_body, attachments, next_attempt_at, message_id)
                -- (':' || status, as pgbench reads a colon and a word as a variable even in a string)
                SELECT 'booking:' || booked.id || ':' || booked.status, 'bench@example.se', 'booking-' || booked.status, 'sv',
                       CASE WHEN cur.seat THEN 'Bokningen är klar: Offentlig upphandling' ELSE 'Du står på väntelistan: Offentlig upphandling' END,
                       CASE WHEN cur.seat THEN repeat('t', 700) ELSE repeat('t', 400) || ' nummer ' || cur.position END,
                       CASE WHEN cur.seat THEN repeat('h', 1800) ELSE repeat('h', 1500) || ' nummer ' || cur.position END,
                       CASE WHEN cur.seat THEN jsonb_build_array(jsonb_build_object('filename', 'kurstillfalle.ics', 'contentType', 'text/calendar', 'content', repeat('c', 1500))) END,
                       now(), '<' || gen_random_uuid() || '@kompetenslyft.se>'
                  FROM booked, cur
                ON CONFLICT ON CONSTRAINT uq_mail_outbox_dedupe_key DO NOTHING)
SELECT id, status FROM booked;
