import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../auth/user.entity.js';

/**
 * A browser's signed-in session (the web front end; the JSON API keeps bearer tokens). The cookie
 * holds 32 random bytes; only their SHA-256 is stored. A session counts while the account is active
 * with the same token version (`users.auth_version`) as when it began, and it was used within the
 * idle time; signing out deletes it.
 */
@Entity({ name: 'web_sessions' })
@Unique('uq_web_sessions_token_hash', ['tokenHash'])
@Index('ix_web_sessions_user', ['userId'])
export class WebSession {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_web_sessions' })
  id: string;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_web_sessions_user' })
  user?: User;

  /** The account's token version when the session began: a later bump (sign out everywhere, password change, erasure) ends it. */
  @Column({ name: 'auth_version', type: 'integer' })
  authVersion: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt: Date;
}
