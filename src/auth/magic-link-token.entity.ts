import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from './user.entity.js';

@Entity({ name: 'magic_link_tokens' })
@Unique('uq_magic_link_tokens_hash', ['tokenHash'])
@Index('ix_magic_link_tokens_user', ['userId', 'createdAt'])
export class MagicLinkToken {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_magic_link_tokens' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_magic_link_tokens_user' })
  user?: User;

  /** SHA-256 of the token in the link; the token itself is never stored. */
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  /**
   * 'sign-in' (magic link), 'verify' (a sign-in link the signed-in account asked for to verify its
   * address) or 'reset' (password reset): a reset link never signs in, a sign-in link never resets.
   */
  @Column({ type: 'varchar', length: 10, default: 'sign-in' })
  purpose: 'sign-in' | 'verify' | 'reset';

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
