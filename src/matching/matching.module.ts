import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { CoverageService } from './coverage.service.js';
import { MatchingAccess } from './matching-access.service.js';
import { MatchingController } from './matching.controller.js';
import { MatchingRepository } from './matching.repository.js';
import { RecommendationsService } from './recommendations.service.js';

/** Matching: offerings ranked against identified needs (scoring.ts), coverage of demand by supply. */
@Module({
  imports: [CatalogueModule, ReferenceModule],
  controllers: [MatchingController],
  providers: [MatchingRepository, MatchingAccess, RecommendationsService, CoverageService],
  exports: [CoverageService, RecommendationsService],
})
export class MatchingModule {}
