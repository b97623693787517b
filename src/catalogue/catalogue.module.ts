import { Module } from '@nestjs/common';
import { CatalogueSupplyService } from './catalogue-supply.service.js';
import { ProviderAccess } from './provider-access.service.js';
import { SessionEvents } from './session-events.js';

@Module({
  providers: [ProviderAccess, SessionEvents, CatalogueSupplyService],
  exports: [ProviderAccess, SessionEvents, CatalogueSupplyService],
})
export class CatalogueModule {}
