import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../auth/user.entity.js';
import { Organisation } from './organisation.entity.js';

export const ORG_ROLES = ['org_admin', 'employee'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

@Entity({ name: 'organisation_members' })
@Unique('uq_organisation_members_org_user', ['organisationId', 'userId'])
@Index('ix_organisation_members_user', ['userId'])
export class OrganisationMember {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_organisation_members' })
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_organisation_members_organisation' })
  organisation?: Organisation;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_organisation_members_user' })
  user?: User;

  @Column({ type: 'varchar', length: 20 })
  role: OrgRole;

  @Column({ name: 'job_title', type: 'varchar', length: 200, nullable: true })
  jobTitle: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
