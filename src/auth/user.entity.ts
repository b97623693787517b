import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { GlobalRole, Locale } from './auth-user.js';

@Entity({ name: 'users' })
@Unique('uq_users_email', ['email'])
export class User {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_users' })
  id: string;

  /** Always stored lower-cased, which makes the unique constraint case-insensitive. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  /** argon2id; null for accounts that only sign in by magic link. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ name: 'global_role', type: 'varchar', length: 20, nullable: true })
  globalRole: GlobalRole | null;

  @Column({ type: 'varchar', length: 2, default: 'sv' })
  locale: Locale;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** When a completed link flow (magic link, invitation, password reset) proved the address; null: unverified. */
  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  /** Carried in every access token as `ver`; bumping it revokes every token issued before. */
  @Column({ name: 'auth_version', type: 'integer', default: 0 })
  authVersion: number;

  /** Set when the person erased their account; personal fields are then anonymised. */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt: Date | null;
}
