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

  /** 'sign-in' (magic link, also verifies the address) or 'reset' (password reset); one never works as the other. */
  @Column({ type: 'varchar', length: 10, default: 'sign-in' })
  purpose: 'sign-in' | 'reset';

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
