import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { ProviderAccess } from '../../catalogue/provider-access.service.js';
import { ProviderStaffService } from '../../catalogue/provider-staff.service.js';
import { ProvidersService } from '../../catalogue/providers.service.js';
import { AppError } from '../../common/errors/app-error.js';
import { FormReader } from '../forms.js';
import { Page, PageContext, WebController } from '../page.js';
import { ReferenceListsService } from '../reference-lists.js';
import { fill } from '../views.js';
import { PROVIDER_MORE_TEXTS } from './more-texts.js';
import { providerFor, requireUuid } from './provider-access.js';

const T = 'web/provider/templates';

/**
 * The provider's staff (`/anordnare/:providerId/personal`): who works there, open invitations
 * (withdraw), invite a colleague by email (the catalogue's one invitation mechanism: accepted at
 * /invite/:token), remove someone or leave yourself, each after a confirmation page. Every route
 * checks ProviderAccess first: another provider's staff, employees and org admins get 403.
 */
@WebController('anordnare')
export class ProviderStaffPages {
  constructor(
    private readonly access: ProviderAccess,
    private readonly staff: ProviderStaffService,
    private readonly providers: ProvidersService,
    private readonly reference: ReferenceListsService,
  ) {}

  /** The provider's own details (name, home municipality, website, contact), changed as PATCH /providers/:id does. */
  @Get(':providerId/uppgifter')
  async details(@Page() page: PageContext, @Param('providerId') providerId: string, @Query('klart') done?: string): Promise<void> {
    const provider = await providerFor(this.access, page, providerId);
    const values = { name: provider.name, municipalityCode: provider.municipalityCode ?? '', website: provider.website ?? '', contactEmail: provider.contactEmail ?? '' };
    page.render(`${T}/provider-details.njk`, { provider, lists: await this.reference.lists(), values, flash: done === 'saved' ? PROVIDER_MORE_TEXTS[page.lang].detailsSaved : undefined });
  }

  @Post(':providerId/uppgifter')
  async saveDetails(@Page() page: PageContext, @Param('providerId') providerId: string, @Body() body: Record<string, unknown>): Promise<void> {
    const provider = await providerFor(this.access, page, providerId);
    const t = PROVIDER_MORE_TEXTS[page.lang];
    const lists = await this.reference.lists();
    const form = new FormReader(body, page.t.common.errors);
    const name = form.text('name', { label: t.providerNameField, required: true, min: 2, max: 200 });
    const municipalityCode = form.choice('municipalityCode', lists.municipalities.map((m) => m.code), { label: t.municipalityField });
    const website = form.text('website', { label: t.websiteField, max: 300 });
    if (website && !/^https?:\/\/[^\s/$.?#][^\s]*\.[^\s]+$/i.test(website)) form.errors.add('website', t.websiteError);
    const contactEmail = form.text('contactEmail', { label: t.contactLabel, max: 254, email: true }).toLowerCase();
    const again = (status: number) => page.render(`${T}/provider-details.njk`, { provider, lists, values: form.values, errors: form.errors }, status);
    if (form.errors.any) return again(400);
    try {
      // Empty optional fields remove the detail (null), as the API's PATCH allows.
      await this.providers.update(page.me, providerId, { name, municipalityCode: municipalityCode ?? null, website: website || null, contactEmail: contactEmail || null } as unknown as Parameters<ProvidersService['update']>[2]);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      form.errors.add('name', t.providerNameTaken);
      return again(409);
    }
    page.redirect(`/anordnare/${providerId}/uppgifter?klart=saved`);
  }

  @Get(':providerId/personal')
  async list(@Page() page: PageContext, @Param('providerId') providerId: string, @Query('klart') done?: string, @Query('inbjuden') invited?: string): Promise<void> {
    await providerFor(this.access, page, providerId);
    const t = PROVIDER_MORE_TEXTS[page.lang];
    const flash =
      typeof invited === 'string' && invited ? fill(t.invited, { email: invited.slice(0, 254) }) : done === 'withdrawn' ? t.withdrawn : done === 'removed' ? t.removed : undefined;
    await this.show(page, providerId, { flash, values: {} });
  }

  private async show(page: PageContext, providerId: string, data: Record<string, unknown>, status = 200): Promise<void> {
    const provider = await this.access.require(page.me, providerId);
    const [staff, invitations] = await Promise.all([
      this.staff.list(page.me, providerId, { limit: 500, offset: 0 }),
      this.staff.listInvitations(page.me, providerId, { limit: 200, offset: 0 }),
    ]);
    page.render(`${T}/staff.njk`, { provider, staff: staff.items, invitations: invitations.items, me: page.me.id, ...data }, status);
  }

  @Post(':providerId/personal/bjud-in')
  async invite(@Page() page: PageContext, @Param('providerId') providerId: string, @Body() body: Record<string, unknown>): Promise<void> {
    await providerFor(this.access, page, providerId);
    const t = PROVIDER_MORE_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const email = form.text('email', { label: t.emailField, required: true, max: 254, email: true }).toLowerCase();
    if (form.errors.any) return this.show(page, providerId, { values: form.values, errors: form.errors }, 400);
    try {
      await this.staff.invite(page.me, providerId, { email, locale: page.lang });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      form.errors.add('email', t.alreadyStaff);
      return this.show(page, providerId, { values: form.values, errors: form.errors }, 409);
    }
    page.redirect(`/anordnare/${providerId}/personal?inbjuden=${encodeURIComponent(email)}`);
  }

  @Post(':providerId/personal/inbjudningar/:invitationId/aterkalla')
  async withdraw(@Page() page: PageContext, @Param('providerId') providerId: string, @Param('invitationId') invitationId: string): Promise<void> {
    requireUuid(providerId, invitationId);
    await this.staff.voidInvitation(page.me, providerId, invitationId);
    page.redirect(`/anordnare/${providerId}/personal?klart=withdrawn`);
  }

  /** The person to remove (404 when not on this provider's staff). */
  private async member(page: PageContext, providerId: string, userId: string) {
    requireUuid(providerId, userId);
    const provider = await this.access.require(page.me, providerId);
    const staff = await this.staff.list(page.me, providerId, { limit: 500, offset: 0 });
    const member = staff.items.find((s) => s.userId === userId);
    if (!member) throw AppError.notFound('page');
    return { provider, member, self: userId === page.me.id };
  }

  @Get(':providerId/personal/:userId/ta-bort')
  async confirmRemove(@Page() page: PageContext, @Param('providerId') providerId: string, @Param('userId') userId: string): Promise<void> {
    page.render(`${T}/staff-remove.njk`, await this.member(page, providerId, userId));
  }

  @Post(':providerId/personal/:userId/ta-bort')
  async remove(@Page() page: PageContext, @Param('providerId') providerId: string, @Param('userId') userId: string): Promise<void> {
    const { provider, self } = await this.member(page, providerId, userId);
    await this.staff.remove(page.me, providerId, userId);
    if (!self || page.me.globalRole === 'coordinator') return page.redirect(`/anordnare/${providerId}/personal?klart=removed`);
    const t = PROVIDER_MORE_TEXTS[page.lang];
    page.render('web/templates/message.njk', { title: fill(t.left, { name: provider.name }), text: t.leaveLead, link: { href: '/anordnare', text: page.t.common.back } });
  }
}
