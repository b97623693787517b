import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import type { Page } from '../common/pagination.js';
import { AuditEntry } from './audit-entry.entity.js';
import type { AuditEntryDto, AuditQueryDto } from './audit.dto.js';

export type AuditAction =
  | 'organisation.created'
  | 'organisation.updated'
  | 'invitation.sent'
  | 'invitation.voided'
  | 'invitation.accepted'
  | 'member.role_changed'
  | 'member.removed'
  | 'person.exported'
  | 'person.erased'
  | (string & {});

export interface AuditRecord {
  actorUserId: string | null;
  action: AuditAction;
  subjectUserId?: string | null;
  organisationId?: string | null;
  providerId?: string | null;
  /** No personal data here: ids, roles, counts. */
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Written in the caller's transaction, so the log and the change stand or fall together. */
  async record(manager: EntityManager, record: AuditRecord): Promise<void> {
    await manager.getRepository(AuditEntry).insert({
      occurredAt: this.clock.now(),
      actorUserId: record.actorUserId,
      action: record.action,
      subjectUserId: record.subjectUserId ?? null,
      organisationId: record.organisationId ?? null,
      providerId: record.providerId ?? null,
      details: (record.details ?? {}) as object,
    });
  }

  /** The API's filters; the coordinator's page also narrows by when (from inclusive, to exclusive). */
  async list(query: AuditQueryDto & { from?: Date; to?: Date }): Promise<Page<AuditEntryDto>> {
    const qb = this.dataSource.getRepository(AuditEntry).createQueryBuilder('a');
    if (query.from) qb.andWhere('a.occurred_at >= :from', { from: query.from });
    if (query.to) qb.andWhere('a.occurred_at < :to', { to: query.to });
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.organisationId) qb.andWhere('a.organisation_id = :org', { org: query.organisationId });
    if (query.userId) qb.andWhere('(a.actor_user_id = :user OR a.subject_user_id = :user)', { user: query.userId });
    const [rows, total] = await qb.orderBy('a.id', 'DESC').take(query.limit).skip(query.offset).getManyAndCount();
    return { items: rows.map(toAuditEntryDto), total };
  }

  /** The actions the log holds, for the page's filter. */
  async actions(): Promise<string[]> {
    const found = (await this.dataSource.query('SELECT DISTINCT action FROM audit_log ORDER BY action')) as { action: string }[];
    return found.map((r) => r.action);
  }

  /** The entries about one person, for their data export. */
  async aboutPerson(manager: EntityManager, userId: string): Promise<AuditEntryDto[]> {
    const rows = await manager
      .getRepository(AuditEntry)
      .createQueryBuilder('a')
      .where('a.actor_user_id = :userId OR a.subject_user_id = :userId', { userId })
      .orderBy('a.id', 'ASC')
      .getMany();
    return rows.map(toAuditEntryDto);
  }
}

export function toAuditEntryDto(row: AuditEntry): AuditEntryDto {
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    actorUserId: row.actorUserId,
    action: row.action,
    subjectUserId: row.subjectUserId,
    organisationId: row.organisationId,
    providerId: row.providerId,
    details: row.details,
  };
}
