import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { PersonalDataRegistry, type RetainedData } from '../common/personal-data.js';
import { RetentionRegistry } from '../common/retention.js';
import { maskIdentityNumber } from './identity-number.js';
import { IdentityCipher } from './identity-cipher.js';
import { stockholmDay } from './participant-time.js';
import { ParticipantIdentity } from './participant.entity.js';
import { ParticipantsRepository } from './participants.repository.js';

const LEGAL_BASIS = 'GDPR art. 17(3)(b): evidence the European Social Fund (ESF+) requires, kept until 31 December of the fifth year after the final payment';

/**
 * How long ESF evidence is kept, and what erasure does to it. The register, hours, time reports
 * and identity numbers of a programme are kept until 31 December of the fifth year after its final
 * payment (finalPaymentYear), then purged by the retention job. Erasure during that hold keeps that
 * evidence (restricted to coordinators; the account's name and email are gone) and says so;
 * after it, or where there is no hold, everything goes.
 */
@Injectable()
export class ParticipantRetention implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly retention: RetentionRegistry,
    private readonly repository: ParticipantsRepository,
    private readonly cipher: IdentityCipher,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.personalData.register({ key: 'esfParticipation', export: (manager, userId) => this.export(manager, userId), erase: (manager, userId) => this.erase(manager, userId) });
    this.retention.register({
      name: 'participants.esf-evidence',
      description: 'ESF evidence (register, hours, time reports, identity numbers, monthly file sends): until 31 December of the fifth year after the programme\'s final payment',
      purge: (manager, now) => this.repository.purgeExpiredEvidence(manager, stockholmDay(now)),
    });
  }

  private async export(manager: EntityManager, userId: string): Promise<unknown> {
    const participations = await this.repository.heldParticipations(manager, userId);
    const identity = await manager.getRepository(ParticipantIdentity).findOneBy({ userId });
    const reports = (await this.repository.timeReports({ userId }, 1000, 0, manager)).rows;
    return {
      identityNumber: identity ? { masked: maskIdentityNumber(this.cipher.decrypt(identity.idCipher, userId)) } : null,
      participations: participations.map((p) => ({ programmeId: p.programme_id, programmeTitle: p.title, keptUntil: p.retain_until, legalBasis: LEGAL_BASIS })),
      timeReports: reports.map((r) => ({ programmeId: r.programme_id, month: r.month.slice(0, 7), version: r.version, status: r.status, hours: Number(r.hours) })),
    };
  }

  private async erase(manager: EntityManager, userId: string): Promise<RetainedData[]> {
    const today = stockholmDay(this.clock.now());
    const participations = await this.repository.heldParticipations(manager, userId);
    const held = participations.filter((p) => p.retain_until === null || p.retain_until >= today);
    const over = participations.filter((p) => !held.includes(p)).map((p) => p.id);
    if (over.length) await manager.query('DELETE FROM esf_participants WHERE id = ANY($1::uuid[])', [over]);
    await manager.query(
      `DELETE FROM esf_certification_codes c USING esf_time_reports r, esf_participants ep
        WHERE c.report_id = r.id AND r.participant_id = ep.id AND ep.user_id = $1`,
      [userId],
    );
    if (held.length === 0) {
      await manager.getRepository(ParticipantIdentity).delete({ userId });
      return [];
    }
    const identity = await manager.getRepository(ParticipantIdentity).existsBy({ userId });
    return held.map((p) => ({
      kind: 'esf_participation',
      description: `Your participation in "${p.title}": start and end dates, organisation number, hours, time reports${identity ? ' and your identity number (encrypted)' : ''}; only coordinators can see it`,
      until: p.retain_until,
      legalBasis: LEGAL_BASIS,
    }));
  }
}
