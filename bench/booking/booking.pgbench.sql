-- One confirmed booking as one statement, straight to PostgreSQL: the shape the issue names (take a
-- seat if one is free, then write the booking and its email, of the size the app writes, with a
-- calendar attachment), in autocommit, one booking per transaction. The app confirms a booking that
-- comes alone with the same work (its batch statement carrying one booking); under load it confirms
-- many bookings in one statement (BookingBatches). This script stays the ceiling of one booking per
-- transaction. The booking id, made in Node by the app, is gen_random_uuid() here; session and
-- person are picked from the bench tables. The app prepares its statements, so run.mjs runs this
-- with -M prepared.
\set s random(1, :sessions)
WITH seat AS (UPDATE sessions SET seats_taken = seats_taken + 1
               WHERE id = (SELECT id FROM bench_sessions WHERE run = :run AND n = :s) AND seats_taken < capacity RETURNING id),
     booked AS (INSERT INTO bookings (session_id, id, user_id, booked_by_user_id, organisation_id, status, accessibility_requests, note, confirmed_at, created_at, updated_at)
                SELECT seat.id, gen_random_uuid(), bu.id, bu.id, NULL, 'confirmed', '{}', NULL, now(), now(), now()
                  FROM seat, bench_users bu WHERE bu.n = (SELECT nextval('bench_user_seq')) RETURNING id),
     outbox AS (INSERT INTO mail_outbox (dedupe_key, to_address, template, locale, subject, text_body, html_body, attachments, next_attempt_at, message_id)
                -- (':' || 'confirmed', as pgbench reads a colon and a word as a variable even in a string)
                SELECT 'booking:' || booked.id || ':' || 'confirmed', 'bench@example.se', 'booking-confirmed', 'sv', 'Bokningen är klar: Offentlig upphandling',
                       repeat('t', 700), repeat('h', 1800),
                       jsonb_build_array(jsonb_build_object('filename', 'kurstillfalle.ics', 'contentType', 'text/calendar', 'content', repeat('c', 1500))),
                       now(), '<' || gen_random_uuid() || '@kompetenslyft.se>'
                  FROM booked
                ON CONFLICT ON CONSTRAINT uq_mail_outbox_dedupe_key DO NOTHING)
SELECT id FROM booked;
