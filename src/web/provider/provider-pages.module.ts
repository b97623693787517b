import { Module } from '@nestjs/common';
import { BookingsModule } from '../../bookings/bookings.module.js';
import { CatalogueModule } from '../../catalogue/catalogue.module.js';
import { ProviderPages } from './provider.page.js';

/** Provider staff's pages (src/web/provider), through the catalogue's and bookings' services. */
@Module({
  imports: [CatalogueModule, BookingsModule],
  controllers: [ProviderPages],
})
export class ProviderPagesModule {}
