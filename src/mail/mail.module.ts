import { Module, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../common/personal-data.js';
import { MailController } from './mail.controller.js';
import { MailDispatcher } from './mail-dispatcher.js';
import { MailService } from './mail.service.js';
import { MailTransport } from './mail-transport.js';

@Module({
  controllers: [MailController],
  providers: [MailService, MailTransport, MailDispatcher],
  exports: [MailService, MailDispatcher],
})
export class MailModule implements OnModuleInit {
  constructor(private readonly personalData: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.personalData.register({
      key: 'emails',
      export: (manager, _userId, email) =>
        manager.query(
          `SELECT template, subject, status, created_at AS "createdAt", sent_at AS "sentAt"
             FROM mail_outbox WHERE to_address = $1 ORDER BY created_at`,
          [email],
        ),
      // Unsent mail to the address is dropped; sent mail keeps only that it was sent.
      erase: async (manager, _userId, email) => {
        await manager.query(`DELETE FROM mail_outbox WHERE to_address = $1 AND status <> 'sent'`, [email]);
        await manager.query(
          `UPDATE mail_outbox SET to_address = 'erased@invalid.invalid', subject = '', text_body = '', html_body = '', attachments = NULL
            WHERE to_address = $1`,
          [email],
        );
      },
    });
  }
}
