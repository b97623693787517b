import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One failed sign-in. Counted per account and per address inside a sliding window. */
@Entity({ name: 'login_failures' })
@Index('ix_login_failures_account', ['accountKey', 'occurredAt'])
@Index('ix_login_failures_address', ['address', 'occurredAt'])
export class LoginFailure {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', primaryKeyConstraintName: 'pk_login_failures' })
  id: string;

  /** The lower-cased email tried (whether or not an account exists). */
  @Column({ name: 'account_key', type: 'varchar', length: 254 })
  accountKey: string;

  /** 'login' (a failed or pending sign-in) or 'register' (a registration attempt). */
  @Column({ type: 'varchar', length: 10, default: 'login' })
  kind: 'login' | 'register';

  @Column({ type: 'varchar', length: 64 })
  address: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;
}
