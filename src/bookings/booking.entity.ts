import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../auth/user.entity.js';
import { Session } from '../catalogue/session.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';

export const BOOKING_STATUSES = ['pending_approval', 'confirmed', 'waitlisted', 'offered', 'cancelled', 'rejected', 'expired'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
/** Statuses that still count as "booked" for the one-booking-per-person rule. */
export const ACTIVE_STATUSES: BookingStatus[] = ['pending_approval', 'confirmed', 'waitlisted', 'offered'];
/** Statuses that hold a seat (counted in sessions.seats_taken). */
export const SEAT_STATUSES: BookingStatus[] = ['confirmed', 'offered'];

/**
 * One person's place on one session. `waitlist_seq` (from the sequence `bookings_waitlist_seq`,
 * created in the migration) orders the waitlist by the moment the person joined it.
 */
@Entity({ name: 'bookings' })
@Index('uq_bookings_session_user_active', ['sessionId', 'userId'], {
  unique: true,
  where: `"status" IN ('pending_approval', 'confirmed', 'waitlisted', 'offered')`,
})
@Index('ix_bookings_session_status_seq', ['sessionId', 'status', 'waitlistSeq'])
@Index('ix_bookings_user', ['userId'])
@Index('ix_bookings_organisation', ['organisationId'])
@Index('ix_bookings_offer_expiry', ['status', 'offerExpiresAt'])
export class Booking {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_bookings' })
  id: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => Session, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_bookings_session' })
  session?: Session;

  /** The participant. On erasure the user row is anonymised; the booking keeps only this id. */
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_bookings_user' })
  user?: User;

  /** The organisation the booking was made through: its admins approve and may cancel. */
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @ManyToOne(() => Organisation, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_bookings_organisation' })
  organisation?: Organisation;

  @Column({ name: 'booked_by_user_id', type: 'uuid', nullable: true })
  bookedByUserId: string | null;

  @Column({ type: 'varchar', length: 20 })
  status: BookingStatus;

  @Column({ name: 'accessibility_requests', type: 'varchar', length: 60, array: true, default: () => "'{}'" })
  accessibilityRequests: string[];

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note: string | null;

  @Column({ name: 'waitlist_seq', type: 'bigint', nullable: true })
  waitlistSeq: string | null;

  @Column({ name: 'waitlisted_at', type: 'timestamptz', nullable: true })
  waitlistedAt: Date | null;

  @Column({ name: 'offered_at', type: 'timestamptz', nullable: true })
  offeredAt: Date | null;

  @Column({ name: 'offer_expires_at', type: 'timestamptz', nullable: true })
  offerExpiresAt: Date | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ name: 'decided_by_user_id', type: 'uuid', nullable: true })
  decidedByUserId: string | null;

  @Column({ name: 'rejection_reason', type: 'varchar', length: 500, nullable: true })
  rejectionReason: string | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'cancelled_by_user_id', type: 'uuid', nullable: true })
  cancelledByUserId: string | null;

  @Column({ name: 'cancellation_reason', type: 'varchar', length: 500, nullable: true })
  cancellationReason: string | null;

  @Column({ name: 'reminder_sent_at', type: 'timestamptz', nullable: true })
  reminderSentAt: Date | null;

  /** Null until provider staff record attendance. */
  @Column({ type: 'boolean', nullable: true })
  attended: boolean | null;

  /** Whole hours attended when the provider records part of a session; null: the whole session. */
  @Column({ name: 'attended_hours', type: 'smallint', nullable: true })
  attendedHours: number | null;

  @Column({ name: 'attendance_recorded_at', type: 'timestamptz', nullable: true })
  attendanceRecordedAt: Date | null;

  @Column({ name: 'attendance_recorded_by', type: 'uuid', nullable: true })
  attendanceRecordedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
