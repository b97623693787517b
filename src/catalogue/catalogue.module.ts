import { Module } from '@nestjs/common';
import { ProviderAccess } from './provider-access.service.js';

@Module({
  providers: [ProviderAccess],
  exports: [ProviderAccess],
})
export class CatalogueModule {}
