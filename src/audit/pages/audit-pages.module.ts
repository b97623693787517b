import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module.js';
import { CatalogueModule } from '../../catalogue/catalogue.module.js';
import { OrganisationsModule } from '../../organisations/organisations.module.js';
import { AuditPages } from './audit.page.js';

/**
 * The audit log's page (/samordning/logg). Its own module, because the audit module is global and
 * imported by everyone: the page needs people's, organisations' and providers' names.
 */
@Module({
  imports: [AuthModule, OrganisationsModule, CatalogueModule],
  controllers: [AuditPages],
})
export class AuditPagesModule {}
