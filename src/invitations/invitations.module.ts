import { Module, OnModuleInit } from '@nestjs/common';
import { RetentionRegistry } from '../common/retention.js';
import { affected } from '../database/sql.js';
import { PersonalDataRegistry } from '../common/personal-data.js';
import { AuthModule } from '../auth/auth.module.js';
import { MailModule } from '../mail/mail.module.js';
import { InvitationPageController } from './invitation.page.js';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsService } from './invitations.service.js';

@Module({
  imports: [AuthModule, MailModule],
  controllers: [InvitationsController, InvitationPageController],
  providers: [InvitationsService],
  exports: [InvitationsService],
})
export class InvitationsModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly retention: RetentionRegistry,
  ) {}

  onModuleInit(): void {
    // An invitation names an address: one never accepted goes a week after it expired (the link then says "expired" for that week).
    this.retention.register({
      name: 'invitations.expired',
      description: 'Invitations not accepted: a week after they expire',
      purge: (manager, now) => affected(manager, 'DELETE FROM invitations WHERE accepted_at IS NULL AND expires_at < $1', [new Date(now.getTime() - 7 * 24 * 3600_000)]),
    });
    this.personalData.register({
      key: 'invitationsReceived',
      export: async (manager, _userId, email) =>
        manager.query(
          `SELECT kind, target_id AS "targetId", role, created_at AS "createdAt", expires_at AS "expiresAt",
                  accepted_at AS "acceptedAt", voided_at AS "voidedAt"
             FROM invitations WHERE email = $1 ORDER BY created_at`,
          [email],
        ),
      // The address is personal data: invitations to it are voided and no longer name it.
      erase: async (manager, userId, email) => {
        await manager.query(
          `UPDATE invitations SET email = 'erased-' || id || '@invalid.invalid',
                  voided_at = COALESCE(voided_at, CASE WHEN accepted_at IS NULL THEN now() END)
            WHERE email = $1`,
          [email],
        );
        await manager.query(`UPDATE invitations SET accepted_by_user_id = NULL WHERE accepted_by_user_id = $1`, [userId]);
      },
    });
  }
}
