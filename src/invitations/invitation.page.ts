import { Body, Get, Param, Post } from '@nestjs/common';
import { AppError, FieldError } from '../common/errors/app-error.js';
import { FormErrors } from '../web/forms.js';
import { Anonymous, Page, PageContext, WebController } from '../web/page.js';
import { defineTexts } from '../web/texts.js';
import { fill } from '../web/views.js';
import { InvitationsService } from './invitations.service.js';

const TEXT = defineTexts('invitation', {
  sv: {
    title: 'Inbjudan',
    heading: 'Inbjudan till {target}',
    intro: 'Inbjudan gäller {email}, som {role}.',
    existing: 'Du har redan ett konto med den här adressen. Logga in i Kompetenslyft och tacka ja där; länken ensam räcker inte, så att ingen annan kan använda den.',
    signIn: 'Logga in',
    newAccount: 'Skapa ditt konto genom att fylla i namn och lösenord.',
    name: 'Ditt namn',
    password: 'Välj ett lösenord',
    passwordHint: 'Minst 10 tecken. Du kan använda flera ord med mellanslag.',
    accept: 'Tacka ja',
    required: { name: 'Skriv ditt namn.', password: 'Välj ett lösenord.' },
    shortPassword: 'Lösenordet måste ha minst 10 tecken.',
    longField: 'Texten är för lång.',
    doneTitle: 'Välkommen!',
    done: 'Du är nu med i {target}. Du kan logga in med din e-postadress.',
    brokenTitle: 'Inbjudan fungerar inte',
    broken: {
      INVITATION_NOT_FOUND: 'Vi hittar ingen inbjudan för den här länken. Kontrollera att hela länken kom med.',
      INVITATION_EXPIRED: 'Inbjudan har gått ut. Be den som bjöd in dig att skicka en ny.',
      INVITATION_ALREADY_USED: 'Inbjudan är redan använd. Du kan logga in med din e-postadress.',
      INVITATION_VOIDED: 'Inbjudan är ersatt av en nyare eller återkallad. Använd den senaste inbjudan i din e-post.',
      ALREADY_MEMBER: 'Du är redan med. Du kan logga in med din e-postadress.',
      INVITATION_SIGN_IN_REQUIRED: 'Du har redan ett konto med den här adressen. Logga in i Kompetenslyft och tacka ja där.',
      INVITATION_EMAIL_MISMATCH: 'Inbjudan gäller en annan e-postadress än den du är inloggad med. Logga ut och logga in med rätt adress.',
    } as Record<string, string>,
    roles: { org_admin: 'organisationsansvarig', employee: 'anställd', provider_staff: 'personal hos utbildningsanordnaren' } as Record<string, string>,
  },
  en: {
    title: 'Invitation',
    heading: 'Invitation to {target}',
    intro: 'The invitation is for {email}, as {role}.',
    existing: 'You already have an account with this address. Sign in to Kompetenslyft and accept there; the link alone is not enough, so that nobody else can use it.',
    signIn: 'Sign in',
    newAccount: 'Create your account by giving your name and a password.',
    name: 'Your name',
    password: 'Choose a password',
    passwordHint: 'At least 10 characters. You can use several words with spaces.',
    accept: 'Accept',
    required: { name: 'Enter your name.', password: 'Choose a password.' },
    shortPassword: 'The password must have at least 10 characters.',
    longField: 'The text is too long.',
    doneTitle: 'Welcome!',
    done: 'You have joined {target}. You can sign in with your email address.',
    brokenTitle: 'The invitation does not work',
    broken: {
      INVITATION_NOT_FOUND: 'We cannot find an invitation for this link. Check that the whole link was copied.',
      INVITATION_EXPIRED: 'The invitation has expired. Ask the person who invited you to send a new one.',
      INVITATION_ALREADY_USED: 'The invitation has already been used. You can sign in with your email address.',
      INVITATION_VOIDED: 'The invitation was replaced by a newer one or withdrawn. Use the latest invitation in your email.',
      ALREADY_MEMBER: 'You are already a member. You can sign in with your email address.',
      INVITATION_SIGN_IN_REQUIRED: 'You already have an account with this address. Sign in to Kompetenslyft and accept there.',
      INVITATION_EMAIL_MISMATCH: 'The invitation is for another email address than the one you are signed in with. Sign out and sign in with the right address.',
    } as Record<string, string>,
    roles: { org_admin: 'organisation admin', employee: 'employee', provider_staff: 'staff of the course provider' } as Record<string, string>,
  },
});

const TEMPLATE = 'invitations/invitation.njk';

/**
 * The page an invitation link opens (Swedish first, or the invitation's language, English by
 * choice): creates the account of a new person; an existing account accepts after signing in (an
 * invitation never signs in by itself).
 */
@WebController('invite')
export class InvitationPageController {
  constructor(private readonly invitations: InvitationsService) {}

  @Anonymous()
  @Get(':token')
  async show(@Param('token') token: string, @Page() page: PageContext): Promise<void> {
    page.preferLang(await this.invitations.localeOf(token));
    try {
      const preview = await this.invitations.preview(token);
      page.render(TEMPLATE, { token, preview, values: {} });
    } catch (error) {
      this.broken(page, error);
    }
  }

  @Anonymous()
  @Post(':token')
  async submit(@Param('token') token: string, @Body() body: Record<string, unknown>, @Page() page: PageContext): Promise<void> {
    page.preferLang(await this.invitations.localeOf(token));
    const t = TEXT[page.lang];
    const name = typeof body?.name === 'string' ? body.name.trim() : '';
    const password = typeof body?.password === 'string' ? body.password : '';
    const errors = new FormErrors();
    try {
      const preview = await this.invitations.preview(token);
      // A verified account: accept() refuses unless that account is signed in here (then it accepts as itself).
      if (!preview.accountExists) {
        if (!name) errors.add('name', t.required.name);
        else if (name.length > 200) errors.add('name', t.longField);
        if (!password) errors.add('password', t.required.password);
        else if (password.length < 10) errors.add('password', t.shortPassword);
        else if (password.length > 200) errors.add('password', t.longField);
        if (errors.any) return page.render(TEMPLATE, { token, preview, values: { name }, errors }, 400);
      }
      const result = await this.invitations.accept(token, { name, password, locale: page.lang }, preview.accountExists ? (page.user ?? undefined) : undefined);
      page.render('web/templates/message.njk', { title: t.doneTitle, text: fill(t.done, { target: result.membership.targetName }), link: { href: '/logga-in', text: t.signIn } });
    } catch (error) {
      if (error instanceof AppError && error.status === 400 && Array.isArray(error.details)) {
        const preview = await this.invitations.preview(token);
        for (const detail of error.details as FieldError[]) {
          if (detail.field === 'name' || detail.field === 'password') errors.add(detail.field, t.required[detail.field]);
        }
        return page.render(TEMPLATE, { token, preview, values: { name }, errors }, 400);
      }
      this.broken(page, error);
    }
  }

  private broken(page: PageContext, error: unknown): void {
    if (!(error instanceof AppError)) throw error;
    const t = TEXT[page.lang];
    page.render('web/templates/message.njk', { title: t.brokenTitle, text: t.broken[error.code] ?? t.broken.INVITATION_NOT_FOUND }, error.status);
  }
}
