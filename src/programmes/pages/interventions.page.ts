import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { OfferingsService } from '../../catalogue/offerings.service.js';
import { ProvidersService } from '../../catalogue/providers.service.js';
import { AppError } from '../../common/errors/app-error.js';
import { FormReader } from '../../web/forms.js';
import { Page, PageContext, WebController } from '../../web/page.js';
import { ReferenceListsService } from '../../web/reference-lists.js';
import type { InterventionDto } from '../dto/intervention.dto.js';
import { InterventionsService } from '../interventions.service.js';
import { ProgrammeErrorCode } from '../programmes.errors.js';
import { ProgrammesService } from '../programmes.service.js';
import { interventionRow, isUuid, namesIn, queryText, requireCoordinator, requireUuid } from './page-helpers.js';
import { fieldErrorsOf, interventionValues, readIntervention } from './programme-forms.js';
import { PROGRAMME_TEXTS } from './texts.js';

const T = 'programmes/pages';
const FLASHES = { tillagd: 'interventionCreated', sparad: 'interventionSaved', godkand: 'approved', installd: 'cancelled', lankad: 'linked', borttagen: 'unlinked' } as const;

/**
 * Coordinators' intervention pages (/samordning/program/:id/insatser/…): add, change, approve,
 * cancel (confirmed on its own page), link and unlink offerings. Through the programmes module's
 * services; an intervention of another programme is a page that does not exist.
 */
@WebController('samordning/program')
export class InterventionPages {
  constructor(
    private readonly programmes: ProgrammesService,
    private readonly interventions: InterventionsService,
    private readonly providers: ProvidersService,
    private readonly offerings: OfferingsService,
    private readonly reference: ReferenceListsService,
  ) {}

  @Get(':id/insatser/ny')
  async newForm(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const programme = await this.programmes.get(page.me, id);
    await this.renderForm(page, { programme, values: { targetGroups: ['social_economy'], counties: [], providerId: 'procure', startsOn: programme.startsOn, endsOn: programme.endsOn }, action: `/samordning/program/${id}/insatser/ny` });
  }

  @Post(':id/insatser/ny')
  async create(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const programme = await this.programmes.get(page.me, id);
    const action = `/samordning/program/${id}/insatser/ny`;
    const created = await this.save(page, body, { programme, action }, (dto) => this.interventions.create(id, dto));
    if (created) page.redirect(`/samordning/program/${id}/insatser/${created.id}?klart=tillagd`);
  }

  @Get(':id/insatser/:iid')
  async show(@Page() page: PageContext, @Param('id') id: string, @Param('iid') iid: string, @Query() query: Record<string, unknown>): Promise<void> {
    const { programme, intervention } = await this.load(page, id, iid);
    const flash = FLASHES[queryText(query.klart, 20) as keyof typeof FLASHES];
    await this.renderIntervention(page, programme, intervention, { flash: flash ? PROGRAMME_TEXTS[page.lang][flash] : '' });
  }

  @Get(':id/insatser/:iid/andra')
  async editForm(@Page() page: PageContext, @Param('id') id: string, @Param('iid') iid: string): Promise<void> {
    const { programme, intervention } = await this.load(page, id, iid);
    await this.renderForm(page, { programme, intervention, values: interventionValues(intervention), action: `/samordning/program/${id}/insatser/${iid}/andra` });
  }

  @Post(':id/insatser/:iid/andra')
  async edit(@Page() page: PageContext, @Param('id') id: string, @Param('iid') iid: string, @Body() body: Record<string, unknown>): Promise<void> {
    const { programme, intervention } = await this.load(page, id, iid);
    const action = `/samordning/program/${id}/insatser/${iid}/andra`;
    const saved = await this.save(page, body, { programme, intervention, action }, (dto) => this.interventions.update(iid, dto));
    if (saved) page.redirect(`/samordning/program/${id}/insatser/${iid}?klart=sparad`);
  }

  @Post(':id/insatser/:iid/godkann')
  async approve(@Page() page: PageContext, @Param('id') id: string, @Param('iid') iid: string): Promise<void> {
    const { programme, intervention } = await this.load(page, id, iid);
    await this.act(page, programme, intervention, 'godkand', () => this.interventions.approve(iid));
  }

  @Get(':id/insatser/:iid/stall-in')
  async confirmCancel(@Page() page: PageContext, @Param('id') id: string, @Param('iid') iid: string): Promise<void> {
    const { programme, intervention } = await this.load(page, id, iid);
    page.render(`${T}/intervention-cancel.njk`, { programme, intervention });
  }

  @Post(':id/insatser/:iid/stall-in')
  async cancel(@Page() page: PageContext, @Param('id') id: string, @Param('iid') iid: string): Promise<void> {
    const { programme, intervention } = await this.load(page, id, iid);
    await this.act(page, programme, intervention, 'installd', () => this.interventions.cancel(iid));
  }

  @Post(':id/insatser/:iid/utbud')
  async link(@Page() page: PageContext, @Param('id') id: string, @Param('iid') iid: string, @Body() body: Record<string, unknown>): Promise<void> {
    const { programme, intervention } = await this.load(page, id, iid);
    const t = PROGRAMME_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const offeringId = form.text('offeringId', { label: t.offeringField, required: true, max: 36 });
    if (offeringId && !isUuid(offeringId)) form.errors.add('offeringId', t.offeringNotFound);
    if (form.errors.any) return this.renderIntervention(page, programme, intervention, { values: form.values, errors: form.errors }, 400);
    try {
      await this.interventions.linkOffering(iid, offeringId);
    } catch (error) {
      const messages: Record<string, string> = {
        [ProgrammeErrorCode.OFFERING_ALREADY_LINKED]: t.alreadyLinked,
        [ProgrammeErrorCode.OFFERING_NOT_FOUND]: t.offeringNotFound,
        [ProgrammeErrorCode.INTERVENTION_CANCELLED]: t.interventionCancelled,
      };
      if (!(error instanceof AppError) || !messages[error.code]) throw error;
      form.errors.add('offeringId', messages[error.code]);
      return this.renderIntervention(page, programme, intervention, { values: form.values, errors: form.errors }, error.status);
    }
    page.redirect(`/samordning/program/${id}/insatser/${iid}?klart=lankad`);
  }

  @Post(':id/insatser/:iid/utbud/:offeringId/ta-bort')
  async unlink(@Page() page: PageContext, @Param('id') id: string, @Param('iid') iid: string, @Param('offeringId') offeringId: string): Promise<void> {
    requireUuid(offeringId);
    await this.load(page, id, iid);
    await this.interventions.unlinkOffering(iid, offeringId);
    page.redirect(`/samordning/program/${id}/insatser/${iid}?klart=borttagen`);
  }

  /** The programme and its intervention (404 when the intervention belongs to another programme), for coordinators only. */
  private async load(page: PageContext, id: string, iid: string) {
    requireCoordinator(page);
    requireUuid(id, iid);
    const [programme, intervention] = await Promise.all([this.programmes.get(page.me, id), this.interventions.get(page.me, iid)]);
    if (intervention.programmeId !== id) throw AppError.notFound('page');
    return { programme, intervention };
  }

  /** Approve or cancel: a state that does not allow it is explained on the intervention's page (409). */
  private async act(page: PageContext, programme: { id: string }, intervention: InterventionDto, done: string, action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== ProgrammeErrorCode.INTERVENTION_WRONG_STATE) throw error;
      return this.renderIntervention(page, programme, intervention, { problem: PROGRAMME_TEXTS[page.lang].wrongState }, 409);
    }
    page.redirect(`/samordning/program/${programme.id}/insatser/${intervention.id}?klart=${done}`);
  }

  private async renderIntervention(page: PageContext, programme: { id: string }, intervention: InterventionDto, data: Record<string, unknown>, status = 200): Promise<void> {
    const names = await namesIn(this.reference, page.lang);
    const linked = await Promise.all(intervention.offeringIds.map((offeringId) => this.offerings.get(page.me, offeringId)));
    const choices = intervention.providerId
      ? (await this.offerings.listForProvider(page.me, intervention.providerId, { limit: 200, offset: 0 })).items.filter((o) => !intervention.offeringIds.includes(o.id))
      : [];
    page.render(
      `${T}/intervention.njk`,
      { programme, intervention: interventionRow(page.lang, intervention, names), linked, choices, values: {}, ...data },
      status,
    );
  }

  private async renderForm(page: PageContext, data: Record<string, unknown>, status = 200): Promise<void> {
    const [lists, providers] = await Promise.all([this.reference.choices(page.lang), this.providers.list({ limit: 500, offset: 0 })]);
    page.render(`${T}/intervention-form.njk`, { lists, providers: providers.items, ...data }, status);
  }

  /** Reads the form and saves it through the service; on bad input shows the form again (400) and answers undefined. */
  private async save(
    page: PageContext,
    body: Record<string, unknown>,
    data: Record<string, unknown>,
    write: (dto: NonNullable<ReturnType<typeof readIntervention>>) => Promise<InterventionDto>,
  ): Promise<InterventionDto | undefined> {
    const t = PROGRAMME_TEXTS[page.lang];
    const [lists, providers] = await Promise.all([this.reference.lists(), this.providers.list({ limit: 500, offset: 0 })]);
    const form = new FormReader(body, page.t.common.errors);
    const dto = readIntervention(form, t, page.t.common.errors, lists, providers.items.map((p) => p.id));
    const again = async (status: number) => this.renderForm(page, { ...data, values: form.values, errors: form.errors }, status);
    if (!dto) {
      await again(400);
      return undefined;
    }
    try {
      return await write(dto);
    } catch (error) {
      if (error instanceof AppError && error.code === ProgrammeErrorCode.INTERVENTION_CANCELLED) {
        form.errors.add('title', t.wrongState);
        await again(409);
        return undefined;
      }
      const labels = { themeCode: t.themeField, format: t.formatField, counties: t.countiesField, providerId: t.providerField, endsOn: t.endsOnField, plannedWomen: t.plannedWomenField };
      if (!fieldErrorsOf(error, form.errors, t, labels)) throw error;
      await again(400);
      return undefined;
    }
  }
}
