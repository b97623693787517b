import { Get } from '@nestjs/common';
import { Page, PageContext, WebController } from '../../web/page.js';
import { ReferenceListsService } from '../../web/reference-lists.js';
import { InterventionsService } from '../interventions.service.js';
import { ProgrammesService } from '../programmes.service.js';
import { interventionRow, namesIn } from './page-helpers.js';

/**
 * /insatser: the interventions that concern the signed-in org admin (in the counties of the
 * organisations they administer) or provider staff member (delivered by their provider), by
 * programme. The programmes module decides what concerns whom; employees get the 403 page.
 */
@WebController('insatser')
export class ConcernPages {
  constructor(
    private readonly programmes: ProgrammesService,
    private readonly interventions: InterventionsService,
    private readonly reference: ReferenceListsService,
  ) {}

  @Get()
  async list(@Page() page: PageContext): Promise<void> {
    const { items } = await this.programmes.list(page.me, { limit: 100, offset: 0 });
    const names = await namesIn(this.reference, page.lang);
    const programmes = await Promise.all(
      items.map(async (programme) => ({
        programme,
        interventions: (await this.interventions.list(page.me, programme.id, { limit: 200, offset: 0 })).items
          .filter((i) => i.status !== 'cancelled')
          .map((i) => interventionRow(page.lang, i, names)),
      })),
    );
    page.render('programmes/pages/concern.njk', { programmes: programmes.filter((p) => p.interventions.length > 0) });
  }
}
