import { Module } from '@nestjs/common';
import { MailController } from './mail.controller.js';
import { MailDispatcher } from './mail-dispatcher.js';
import { MailService } from './mail.service.js';
import { MailTransport } from './mail-transport.js';

@Module({
  controllers: [MailController],
  providers: [MailService, MailTransport, MailDispatcher],
  exports: [MailService, MailDispatcher],
})
export class MailModule {}
