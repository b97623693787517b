import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Municipality } from '../reference/reference.entities.js';
import { Offering } from './offering.entity.js';

export const WAITLIST_MODES = ['offer', 'auto'] as const;
export type WaitlistMode = (typeof WAITLIST_MODES)[number];
export const SESSION_STATUSES = ['scheduled', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/**
 * A bookable occasion of an offering. `seats_taken` is the exact number of confirmed seats (and
 * seats offered to the waitlist): it is changed only by the bookings module, in the same
 * transaction as the booking row, with a conditional `UPDATE … WHERE seats_taken < capacity`.
 */
@Entity({ name: 'sessions' })
@Check('ck_sessions_capacity', '"capacity" BETWEEN 1 AND 10000')
@Check('ck_sessions_seats_taken', '"seats_taken" >= 0 AND "seats_taken" <= "capacity"')
@Check('ck_sessions_waitlist_length', '"waitlist_length" >= 0')
@Check('ck_sessions_times', '"ends_at" > "starts_at"')
@Index('ix_sessions_offering_starts', ['offeringId', 'startsAt'])
@Index('ix_sessions_starts', ['startsAt'])
@Index('ix_sessions_municipality', ['municipalityCode'])
// Covering partial index for search and recommendations (INCLUDE … WHERE status = 'scheduled'), created by hand
// in the CatalogueSearch migration and redefined in RecommendationBounds.
@Index('ix_sessions_search', { synchronize: false })
export class Session {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_sessions' })
  id: string;

  @Column({ name: 'offering_id', type: 'uuid' })
  offeringId: string;

  @ManyToOne(() => Offering, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'offering_id', foreignKeyConstraintName: 'fk_sessions_offering' })
  offering?: Offering;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  /** Where it takes place; null for online-only sessions. */
  @Column({ name: 'municipality_code', type: 'char', length: 4, nullable: true })
  municipalityCode: string | null;

  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_code', foreignKeyConstraintName: 'fk_sessions_municipality' })
  municipality?: Municipality;

  @Column({ type: 'boolean', default: false })
  online: boolean;

  /** Street address and room, for in-person sessions. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  venue: string | null;

  /** Link for online sessions (sent to confirmed participants). */
  @Column({ name: 'online_url', type: 'varchar', length: 500, nullable: true })
  onlineUrl: string | null;

  @Column({ type: 'int' })
  capacity: number;

  @Column({ name: 'seats_taken', type: 'int', default: 0 })
  seatsTaken: number;

  /** How many bookings are waitlisted: kept by the bookings module, as `seats_taken` is. */
  @Column({ name: 'waitlist_length', type: 'int', default: 0 })
  waitlistLength: number;

  /** Null: bookable as soon as published. */
  @Column({ name: 'booking_opens_at', type: 'timestamptz', nullable: true })
  bookingOpensAt: Date | null;

  /** Defaults to the start. */
  @Column({ name: 'booking_closes_at', type: 'timestamptz' })
  bookingClosesAt: Date;

  /** Until then participants may cancel; null: until the start. */
  @Column({ name: 'cancellation_deadline', type: 'timestamptz', nullable: true })
  cancellationDeadline: Date | null;

  @Column({ name: 'requires_approval', type: 'boolean', default: false })
  requiresApproval: boolean;

  @Column({ name: 'waitlist_mode', type: 'varchar', length: 10, default: 'offer' })
  waitlistMode: WaitlistMode;

  @Column({ type: 'varchar', length: 12, default: 'scheduled' })
  status: SessionStatus;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'cancellation_reason', type: 'varchar', length: 500, nullable: true })
  cancellationReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
