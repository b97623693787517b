import { Body, Get, Param, Post } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error.js';
import { FormReader } from '../../web/forms.js';
import { Page, PageContext, WebController } from '../../web/page.js';
import { fill } from '../../web/views.js';
import { MembersService } from '../members.service.js';
import { ORG_ROLES } from '../organisation-member.entity.js';
import { OrganisationErrorCode } from '../organisations.errors.js';
import { OrganisationsService } from '../organisations.service.js';
import { PeopleService } from '../people.service.js';
import { ORGANISATION_TEXTS } from './texts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireUuid(...ids: string[]): void {
  for (const id of ids) if (!UUID.test(id)) throw AppError.notFound('page');
}

/**
 * The organisation admin's pages: the organisation, members and roles (change role, remove),
 * invite people and the open invitations. Every action goes through the organisations module's
 * services, which check that the caller is the organisation's admin (403 page otherwise).
 */
@WebController('organisation')
export class OrganisationPages {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly members: MembersService,
    private readonly people: PeopleService,
  ) {}

  @Get()
  async mine(@Page() page: PageContext): Promise<void> {
    const me = await this.people.me(page.me);
    const organisations = me.memberships.filter((m) => m.kind === 'organisation');
    page.render('organisations/pages/list.njk', { organisations });
  }

  @Get(':id')
  async show(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireUuid(id);
    const organisation = await this.organisations.get(page.me, id);
    const me = await this.people.me(page.me);
    const role = page.me.globalRole === 'coordinator' ? 'org_admin' : me.memberships.find((m) => m.kind === 'organisation' && m.id === id)?.role;
    page.render('organisations/pages/organisation.njk', { organisation, admin: role === 'org_admin', role });
  }

  @Get(':id/medlemmar')
  async membersPage(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireUuid(id);
    const organisation = await this.organisations.get(page.me, id);
    const [members, invitations] = await Promise.all([
      this.members.list(page.me, id, { limit: 100, offset: 0 }),
      this.members.listInvitations(page.me, id, { limit: 100, offset: 0 }),
    ]);
    page.render('organisations/pages/members.njk', { organisation, members: members.items, invitations: invitations.items, roles: ORG_ROLES });
  }

  @Post(':id/medlemmar/:userId/roll')
  async changeRole(@Page() page: PageContext, @Param('id') id: string, @Param('userId') userId: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireUuid(id, userId);
    const t = ORGANISATION_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const role = form.choice('role', ORG_ROLES, { label: t.roleLabel, required: true });
    if (!role) throw new AppError(400, 'VALIDATION_FAILED', 'role must be one of org_admin, employee');
    await this.act(page, id, () => this.members.update(page.me, id, userId, { role }));
  }

  @Get(':id/medlemmar/:userId/ta-bort')
  async confirmRemove(@Page() page: PageContext, @Param('id') id: string, @Param('userId') userId: string): Promise<void> {
    requireUuid(id, userId);
    const organisation = await this.organisations.get(page.me, id);
    const members = await this.members.list(page.me, id, { limit: 100, offset: 0 });
    const member = members.items.find((m) => m.userId === userId);
    if (!member) throw AppError.notFound('member', OrganisationErrorCode.MEMBER_NOT_FOUND);
    page.render('organisations/pages/remove.njk', { organisation, member });
  }

  @Post(':id/medlemmar/:userId/ta-bort')
  async remove(@Page() page: PageContext, @Param('id') id: string, @Param('userId') userId: string): Promise<void> {
    requireUuid(id, userId);
    await this.act(page, id, () => this.members.remove(page.me, id, userId));
  }

  @Post(':id/inbjudningar/:invitationId/aterkalla')
  async voidInvitation(@Page() page: PageContext, @Param('id') id: string, @Param('invitationId') invitationId: string): Promise<void> {
    requireUuid(id, invitationId);
    await this.act(page, id, () => this.members.voidInvitation(page.me, id, invitationId));
  }

  @Get(':id/bjud-in')
  async inviteForm(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireUuid(id);
    const organisation = await this.organisations.get(page.me, id);
    await this.members.listInvitations(page.me, id, { limit: 1, offset: 0 }); // admins only
    page.render('organisations/pages/invite.njk', { organisation, values: { role: 'employee' }, roles: ORG_ROLES });
  }

  @Post(':id/bjud-in')
  async invite(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireUuid(id);
    const t = ORGANISATION_TEXTS[page.lang];
    const organisation = await this.organisations.get(page.me, id);
    const form = new FormReader(body, page.t.common.errors);
    const email = form.text('email', { label: t.emailLabel, required: true, max: 254, email: true }).toLowerCase();
    const role = form.choice('role', ORG_ROLES, { label: t.roleLabel, required: true });
    const jobTitle = form.text('jobTitle', { label: t.jobTitleLabel, max: 200 });
    if (form.errors.any) {
      await this.members.listInvitations(page.me, id, { limit: 1, offset: 0 }); // admins only, before showing the form again
      return page.render('organisations/pages/invite.njk', { organisation, values: form.values, errors: form.errors, roles: ORG_ROLES }, 400);
    }
    try {
      await this.members.invite(page.me, id, { email, role: role!, ...(jobTitle ? { jobTitle } : {}) });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      form.errors.add('email', t.alreadyMember);
      return page.render('organisations/pages/invite.njk', { organisation, values: form.values, errors: form.errors, roles: ORG_ROLES }, 409);
    }
    page.render('web/templates/message.njk', { title: t.invitedTitle, text: fill(t.invited, { email }), link: { href: `/organisation/${id}/medlemmar`, text: t.backToMembers } });
  }

  /** Runs an admin's change and goes back to the members page; a refused change (the last admin) is explained. */
  private async act(page: PageContext, id: string, change: () => Promise<unknown>): Promise<void> {
    try {
      await change();
      page.redirect(`/organisation/${id}/medlemmar`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      const t = ORGANISATION_TEXTS[page.lang];
      page.render('web/templates/message.njk', { title: t.failed, text: error.code === OrganisationErrorCode.LAST_ADMIN ? t.lastAdmin : t.failed, link: { href: `/organisation/${id}/medlemmar`, text: t.backToMembers } }, 409);
    }
  }
}
