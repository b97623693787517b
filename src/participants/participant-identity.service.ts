import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import { participantIdKey, type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { OrganisationAccess } from '../organisations/organisation-access.service.js';
import type { ParticipantIdentityDto } from './dto/identity.dto.js';
import { IdentityCipher } from './identity-cipher.js';
import { IDENTITY_NUMBER_MESSAGES, maskIdentityNumber, parseIdentityNumber } from './identity-number.js';
import { IDENTITY_EXPLANATION } from './participant-texts.js';
import { ParticipantIdentity } from './participant.entity.js';
import { ParticipantErrorCode } from './participants.errors.js';
import { ParticipantsRepository } from './participants.repository.js';

/**
 * The cipher with PARTICIPANT_ID_KEY, or outside production the key file in DATA_DIR, made (with a
 * warning) when the first identity number is stored or read, not at start.
 */
export const identityCipherProvider = {
  provide: IdentityCipher,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) =>
    new IdentityCipher(() => {
      const { key, generatedFile } = participantIdKey(config.participantIdKey);
      if (generatedFile && config.nodeEnv !== 'test') {
        new Logger('ParticipantIdentity').warn(`PARTICIPANT_ID_KEY is not set: identity numbers are encrypted with the key in ${generatedFile}. Set PARTICIPANT_ID_KEY in production.`);
      }
      return key;
    }),
};

/**
 * Identity numbers for the ESF participant file: entered by the person or their org admin, only
 * for people taking part in (or booked on) an ESF programme; stored encrypted; answered masked.
 */
@Injectable()
export class ParticipantIdentityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: IdentityCipher,
    private readonly repository: ParticipantsRepository,
    private readonly organisations: OrganisationAccess,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async setOwn(caller: AuthUser, input: string): Promise<void> {
    await this.set(caller, caller.id, input, null);
  }

  /** An org admin (or a coordinator) enters the number of a member of the organisation. */
  async setForMember(caller: AuthUser, organisationId: string, userId: string, input: string): Promise<void> {
    await this.organisations.require(caller, organisationId, 'admin');
    if (!(await this.repository.isMember(organisationId, userId))) {
      throw AppError.notFound('Member of this organisation', ParticipantErrorCode.NOT_A_MEMBER);
    }
    await this.set(caller, userId, input, organisationId);
  }

  async own(caller: AuthUser): Promise<ParticipantIdentityDto> {
    const identity = await this.dataSource.getRepository(ParticipantIdentity).findOneBy({ userId: caller.id });
    return {
      masked: identity ? maskIdentityNumber(this.cipher.decrypt(identity.idCipher, caller.id)) : null,
      requested: await this.repository.takesPartInEsf(caller.id),
      explanationSv: IDENTITY_EXPLANATION.sv,
      explanationEn: IDENTITY_EXPLANATION.en,
    };
  }

  /** The people's numbers, masked (year and month of birth only), for pages whose caller's access is checked first (the register, an org admin's members). */
  async maskedOf(userIds: string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const found = await this.dataSource.getRepository(ParticipantIdentity).findBy({ userId: In([...new Set(userIds)]) });
    return new Map(found.map((row) => [row.userId, maskIdentityNumber(this.cipher.decrypt(row.idCipher, row.userId))]));
  }

  /** The numbers in clear, for the monthly file only. */
  async clearNumbers(manager: EntityManager, userIds: string[]): Promise<Map<string, string>> {
    const found = await manager.getRepository(ParticipantIdentity).findBy({ userId: In([...new Set(userIds)]) });
    return new Map(found.map((row) => [row.userId, this.cipher.decrypt(row.idCipher, row.userId)]));
  }

  private async set(caller: AuthUser, userId: string, input: string, organisationId: string | null): Promise<void> {
    const parsed = parseIdentityNumber(input, this.clock.now());
    if ('problem' in parsed) throw AppError.validation('personalIdentityNumber', IDENTITY_NUMBER_MESSAGES[parsed.problem]);
    if (!(await this.repository.takesPartInEsf(userId))) {
      throw AppError.conflict(
        ParticipantErrorCode.NOT_IN_ESF_PROGRAMME,
        'An identity number is asked for only from people taking part in a programme with ESF reporting',
      );
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(ParticipantIdentity).upsert(
        { userId, idCipher: this.cipher.encrypt(parsed.value, userId), keyId: this.cipher.keyId, setByUserId: caller.id, updatedAt: this.clock.now() },
        ['userId'],
      );
      await this.audit.record(manager, {
        actorUserId: caller.id,
        action: 'participant_identity.set',
        subjectUserId: userId,
        organisationId,
        details: { by: caller.id === userId ? 'self' : organisationId ? 'org_admin' : 'coordinator', coordinationNumber: parsed.coordination },
      });
    });
  }
}
