import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { User } from '../auth/user.entity.js';
import { Programme } from '../programmes/programme.entity.js';

export const END_REASONS = ['left_on_request', 'ended_by_coordinator'] as const;
export type EndReason = (typeof END_REASONS)[number];

export const TIME_REPORT_STATUSES = ['open', 'certified', 'cosigned', 'corrected'] as const;
export type TimeReportStatus = (typeof TIME_REPORT_STATUSES)[number];

/**
 * A person's identity number (personnummer or samordningsnummer, 12 digits) for the ESF participant
 * file, encrypted with PARTICIPANT_ID_KEY (AES-256-GCM; see IdentityCipher). Never in clear in the
 * database, the logs or an API answer; in clear only in the monthly file.
 */
@Entity({ name: 'participant_identities' })
export class ParticipantIdentity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'pk_participant_identities' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_participant_identities_user' })
  user?: User;

  /** version ‖ iv ‖ tag ‖ ciphertext, the user id as associated data. */
  @Column({ name: 'id_cipher', type: 'bytea' })
  idCipher: Buffer;

  /** Which key wrote it (a hash of the key). */
  @Column({ name: 'key_id', type: 'varchar', length: 16 })
  keyId: string;

  /** Who entered it: the person or their org admin. */
  @Column({ name: 'set_by_user_id', type: 'uuid', nullable: true })
  setByUserId: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * A participant of an ESF programme: a person from their first attended session of one of its
 * interventions (started_on) until they leave or the programme ends (ended_on; the programme's end
 * counts when it is earlier and past). The organisation and its number are kept as they were at the
 * start: the funder's evidence, kept after the person's erasure until the retention date.
 */
@Entity({ name: 'esf_participants' })
@Unique('uq_esf_participants_programme_user', ['programmeId', 'userId'])
@Index('ix_esf_participants_programme_started', ['programmeId', 'startedOn'])
@Index('ix_esf_participants_user', ['userId'])
@Check('ck_esf_participants_period', '"ended_on" IS NULL OR "ended_on" >= "started_on"')
@Check('ck_esf_participants_end_reason', `"end_reason" IS NULL OR "end_reason" IN ('left_on_request', 'ended_by_coordinator')`)
export class EsfParticipant {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_esf_participants' })
  id: string;

  @Column({ name: 'programme_id', type: 'uuid' })
  programmeId: string;

  @ManyToOne(() => Programme, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'programme_id', foreignKeyConstraintName: 'fk_esf_participants_programme' })
  programme?: Programme;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_esf_participants_user' })
  user?: User;

  /** The organisation the first attended session was booked through (held as an id). */
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ name: 'org_number', type: 'varchar', length: 11, nullable: true })
  orgNumber: string | null;

  @Column({ name: 'started_on', type: 'date' })
  startedOn: string;

  @Column({ name: 'ended_on', type: 'date', nullable: true })
  endedOn: string | null;

  @Column({ name: 'end_reason', type: 'varchar', length: 24, nullable: true })
  endReason: EndReason | null;

  @Column({ name: 'ended_by_user_id', type: 'uuid', nullable: true })
  endedByUserId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Hours of one attended session (one booking) counted for a participant, on the session's day (Stockholm). */
@Entity({ name: 'esf_time_entries' })
@Index('ix_esf_time_entries_participant_day', ['participantId', 'day'])
@Check('ck_esf_time_entries_hours', '"hours" > 0')
export class EsfTimeEntry {
  @PrimaryColumn({ name: 'booking_id', type: 'uuid', primaryKeyConstraintName: 'pk_esf_time_entries' })
  bookingId: string;

  @Column({ name: 'participant_id', type: 'uuid' })
  participantId: string;

  @ManyToOne(() => EsfParticipant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'participant_id', foreignKeyConstraintName: 'fk_esf_time_entries_participant' })
  participant?: EsfParticipant;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @Column({ name: 'offering_id', type: 'uuid' })
  offeringId: string;

  @Column({ type: 'date' })
  day: string;

  @Column({ type: 'numeric', precision: 5, scale: 1 })
  hours: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}

/**
 * A participant's time for one month: open (follows attendance), certified by the participant with
 * a one-time code, cosigned by an org admin when the programme asks. A certified report is frozen
 * (`lines` holds what was certified); attendance changed afterwards marks it corrected and opens
 * the next version, which must be certified again.
 */
@Entity({ name: 'esf_time_reports' })
@Unique('uq_esf_time_reports_version', ['participantId', 'month', 'version'])
@Index('uq_esf_time_reports_current', ['participantId', 'month'], { unique: true, where: `"status" <> 'corrected'` })
@Check('ck_esf_time_reports_status', `"status" IN ('open', 'certified', 'cosigned', 'corrected')`)
@Check('ck_esf_time_reports_hours', '"hours" >= 0')
export class EsfTimeReport {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_esf_time_reports' })
  id: string;

  @Column({ name: 'participant_id', type: 'uuid' })
  participantId: string;

  @ManyToOne(() => EsfParticipant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'participant_id', foreignKeyConstraintName: 'fk_esf_time_reports_participant' })
  participant?: EsfParticipant;

  /** The month's first day. */
  @Column({ type: 'date' })
  month: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'varchar', length: 12, default: 'open' })
  status: TimeReportStatus;

  @Column({ type: 'numeric', precision: 7, scale: 1, default: 0 })
  hours: string;

  @Column({ type: 'int', default: 0 })
  sessions: number;

  /** What was certified: [{ day, sessionId, offeringId, hours }]. Null while open. */
  @Column({ type: 'jsonb', nullable: true })
  lines: Array<{ day: string; sessionId: string; offeringId: string; hours: number }> | null;

  @Column({ name: 'corrects_report_id', type: 'uuid', nullable: true })
  correctsReportId: string | null;

  @Column({ name: 'certified_at', type: 'timestamptz', nullable: true })
  certifiedAt: Date | null;

  @Column({ name: 'cosigned_at', type: 'timestamptz', nullable: true })
  cosignedAt: Date | null;

  @Column({ name: 'cosigned_by_user_id', type: 'uuid', nullable: true })
  cosignedByUserId: string | null;

  @Column({ name: 'corrected_at', type: 'timestamptz', nullable: true })
  correctedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The one-time code that certifies a time report: a keyed hash only, 15 minutes, 5 tries. */
@Entity({ name: 'esf_certification_codes' })
@Check('ck_esf_certification_codes_attempts', '"attempts" >= 0')
export class EsfCertificationCode {
  @PrimaryColumn({ name: 'report_id', type: 'uuid', primaryKeyConstraintName: 'pk_esf_certification_codes' })
  reportId: string;

  @ManyToOne(() => EsfTimeReport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id', foreignKeyConstraintName: 'fk_esf_certification_codes_report' })
  report?: EsfTimeReport;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt: Date;
}

/**
 * That a month's participant file was sent to the statistics authority, with a hash of what the
 * files up to and including that month held then: when an earlier month changes, the hash no longer
 * matches and the month must be sent again. Two sends of the same state are one (unique).
 */
@Entity({ name: 'esf_monthly_file_sends' })
@Unique('uq_esf_monthly_file_sends_state', ['programmeId', 'month', 'stateHash'])
@Index('ix_esf_monthly_file_sends_month', ['programmeId', 'month', 'sentAt'])
export class EsfMonthlyFileSend {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_esf_monthly_file_sends' })
  id: string;

  @Column({ name: 'programme_id', type: 'uuid' })
  programmeId: string;

  @ManyToOne(() => Programme, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'programme_id', foreignKeyConstraintName: 'fk_esf_monthly_file_sends_programme' })
  programme?: Programme;

  @Column({ type: 'date' })
  month: string;

  @Column({ name: 'state_hash', type: 'varchar', length: 64 })
  stateHash: string;

  @Column({ type: 'int' })
  rows: number;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt: Date;

  @Column({ name: 'sent_by_user_id', type: 'uuid', nullable: true })
  sentByUserId: string | null;
}
