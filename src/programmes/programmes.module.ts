import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { MatchingModule } from '../matching/matching.module.js';
import { NeedsModule } from '../needs/needs.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { InterventionViews } from './intervention-views.js';
import { InterventionsController } from './interventions.controller.js';
import { ConcernPages } from './pages/concern.page.js';
import { InterventionPages } from './pages/interventions.page.js';
import { ProgrammePages } from './pages/programmes.page.js';
import { InterventionsService } from './interventions.service.js';
import { PlanPdfRenderer } from './plan-pdf.js';
import { ProgrammeAccess } from './programme-access.service.js';
import { ProgrammeDraftService } from './programme-draft.service.js';
import { ProgrammePlanService } from './programme-plan.service.js';
import { ProgrammeProgressService } from './programme-progress.service.js';
import { ProgrammesController } from './programmes.controller.js';
import { ProgrammesRepository } from './programmes.repository.js';
import { ProgrammesService } from './programmes.service.js';

/** Programmes: interventions drafted from needs coverage, followed up against their plan, and the programme document. */
@Module({
  imports: [CatalogueModule, MatchingModule, NeedsModule, OrganisationsModule, ReferenceModule],
  controllers: [ProgrammesController, InterventionsController, ProgrammePages, InterventionPages, ConcernPages],
  providers: [
    ProgrammeAccess,
    ProgrammesRepository,
    InterventionViews,
    ProgrammesService,
    InterventionsService,
    ProgrammeDraftService,
    ProgrammeProgressService,
    ProgrammePlanService,
    PlanPdfRenderer,
  ],
  exports: [ProgrammesService],
})
export class ProgrammesModule {}
