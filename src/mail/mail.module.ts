import { Module } from '@nestjs/common';
import { MailDispatcher } from './mail-dispatcher.js';
import { MailService } from './mail.service.js';
import { MailTransport } from './mail-transport.js';

@Module({
  providers: [MailService, MailTransport, MailDispatcher],
  exports: [MailService, MailDispatcher],
})
export class MailModule {}
