import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/decorators/auth.decorators.js';
import { AppError, FieldError } from '../common/errors/app-error.js';
import { escapeHtml, sendPage } from '../common/html.js';
import type { InvitationPreviewDto } from './dto/invitation.dto.js';
import { InvitationsService } from './invitations.service.js';

type Lang = 'sv' | 'en';

const TEXT = {
  sv: {
    title: 'Inbjudan',
    heading: (target: string) => `Inbjudan till ${target}`,
    intro: (email: string, role: string) => `Inbjudan gäller ${email}, som ${role}.`,
    existing: 'Du har redan ett konto med den här adressen. Logga in i Kompetenslyft och tacka ja där; länken ensam räcker inte, så att ingen annan kan använda den.',
    newAccount: 'Skapa ditt konto genom att fylla i namn och lösenord.',
    name: 'Ditt namn',
    password: 'Välj ett lösenord',
    passwordHint: 'Minst 10 tecken. Du kan använda flera ord med mellanslag.',
    accept: 'Tacka ja',
    errorsHeading: 'Något behöver rättas',
    required: { name: 'Skriv ditt namn.', password: 'Välj ett lösenord.' },
    shortPassword: 'Lösenordet måste ha minst 10 tecken.',
    longField: 'Texten är för lång.',
    doneTitle: 'Välkommen!',
    done: (target: string) => `Du är nu med i ${target}. Du kan logga in med din e-postadress.`,
    brokenTitle: 'Inbjudan fungerar inte',
    broken: {
      INVITATION_NOT_FOUND: 'Vi hittar ingen inbjudan för den här länken. Kontrollera att hela länken kom med.',
      INVITATION_EXPIRED: 'Inbjudan har gått ut. Be den som bjöd in dig att skicka en ny.',
      INVITATION_ALREADY_USED: 'Inbjudan är redan använd. Du kan logga in med din e-postadress.',
      INVITATION_VOIDED: 'Inbjudan är ersatt av en nyare eller återkallad. Använd den senaste inbjudan i din e-post.',
      ALREADY_MEMBER: 'Du är redan med. Du kan logga in med din e-postadress.',
      INVITATION_SIGN_IN_REQUIRED: 'Du har redan ett konto med den här adressen. Logga in i Kompetenslyft och tacka ja där.',
    } as Record<string, string>,
    roles: { org_admin: 'organisationsansvarig', employee: 'anställd', provider_staff: 'personal hos utbildningsanordnaren' } as Record<string, string>,
    language: 'In English',
  },
  en: {
    title: 'Invitation',
    heading: (target: string) => `Invitation to ${target}`,
    intro: (email: string, role: string) => `The invitation is for ${email}, as ${role}.`,
    existing: 'You already have an account with this address. Sign in to Kompetenslyft and accept there; the link alone is not enough, so that nobody else can use it.',
    newAccount: 'Create your account by giving your name and a password.',
    name: 'Your name',
    password: 'Choose a password',
    passwordHint: 'At least 10 characters. You can use several words with spaces.',
    accept: 'Accept',
    errorsHeading: 'Something needs correcting',
    required: { name: 'Enter your name.', password: 'Choose a password.' },
    shortPassword: 'The password must have at least 10 characters.',
    longField: 'The text is too long.',
    doneTitle: 'Welcome!',
    done: (target: string) => `You have joined ${target}. You can sign in with your email address.`,
    brokenTitle: 'The invitation does not work',
    broken: {
      INVITATION_NOT_FOUND: 'We cannot find an invitation for this link. Check that the whole link was copied.',
      INVITATION_EXPIRED: 'The invitation has expired. Ask the person who invited you to send a new one.',
      INVITATION_ALREADY_USED: 'The invitation has already been used. You can sign in with your email address.',
      INVITATION_VOIDED: 'The invitation was replaced by a newer one or withdrawn. Use the latest invitation in your email.',
      ALREADY_MEMBER: 'You are already a member. You can sign in with your email address.',
      INVITATION_SIGN_IN_REQUIRED: 'You already have an account with this address. Sign in to Kompetenslyft and accept there.',
    } as Record<string, string>,
    roles: { org_admin: 'organisation admin', employee: 'employee', provider_staff: 'staff of the course provider' } as Record<string, string>,
    language: 'På svenska',
  },
};

interface FormState {
  name?: string;
  errors?: Partial<Record<'name' | 'password', string>>;
}

/**
 * The accessible page an invitation link opens (Swedish first, English by choice): plain HTML form,
 * labels, hints and errors tied to their fields, an error summary that takes focus order first.
 */
@ApiExcludeController()
@Public()
@Controller('invite')
export class InvitationPageController {
  constructor(private readonly invitations: InvitationsService) {}

  @Get(':token')
  async show(@Param('token') token: string, @Query('lang') lang: string | undefined, @Res() res: FastifyReply): Promise<void> {
    const language = await this.language(token, lang);
    try {
      const preview = await this.invitations.preview(token);
      this.send(res, 200, language, this.form(token, language, preview, {}));
    } catch (error) {
      this.sendBroken(res, language, error);
    }
  }

  @Post(':token')
  async submit(
    @Param('token') token: string,
    @Query('lang') lang: string | undefined,
    @Body() body: Record<string, unknown>,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const language = await this.language(token, lang);
    const t = TEXT[language];
    const name = typeof body?.name === 'string' ? body.name.trim() : '';
    const password = typeof body?.password === 'string' ? body.password : '';
    try {
      const preview = await this.invitations.preview(token);
      // A verified account: accept() refuses (sign in first), shown as such below.
      if (!preview.accountExists) {
        const errors: FormState['errors'] = {};
        if (!name) errors.name = t.required.name;
        else if (name.length > 200) errors.name = t.longField;
        if (!password) errors.password = t.required.password;
        else if (password.length < 10) errors.password = t.shortPassword;
        else if (password.length > 200) errors.password = t.longField;
        if (Object.keys(errors).length) {
          return this.send(res, 400, language, this.form(token, language, preview, { name, errors }));
        }
      }
      const result = await this.invitations.accept(token, { name, password, locale: language });
      this.send(
        res,
        200,
        language,
        `<h1>${escapeHtml(t.doneTitle)}</h1>\n<p class="notice" role="status">${escapeHtml(t.done(result.membership.targetName))}</p>`,
        t.doneTitle,
      );
    } catch (error) {
      if (error instanceof AppError && error.status === 400 && Array.isArray(error.details)) {
        const preview = await this.invitations.preview(token);
        const errors: FormState['errors'] = {};
        for (const detail of error.details as FieldError[]) {
          if (detail.field === 'name' || detail.field === 'password') errors[detail.field] = t.required[detail.field];
        }
        return this.send(res, 400, language, this.form(token, language, preview, { name, errors }));
      }
      this.sendBroken(res, language, error);
    }
  }

  private async language(token: string, lang: string | undefined): Promise<Lang> {
    if (lang === 'en' || lang === 'sv') return lang;
    return this.invitations.localeOf(token);
  }

  private form(token: string, lang: Lang, preview: InvitationPreviewDto, state: FormState): string {
    const t = TEXT[lang];
    const errors = state.errors ?? {};
    const action = `/invite/${encodeURIComponent(token)}?lang=${lang}`;
    const other: Lang = lang === 'sv' ? 'en' : 'sv';
    const summary = Object.keys(errors).length
      ? `<div role="alert" aria-labelledby="error-summary-heading" tabindex="-1" id="error-summary">
  <h2 id="error-summary-heading">${escapeHtml(t.errorsHeading)}</h2>
  <ul>${Object.entries(errors)
    .map(([field, message]) => `<li><a href="#${field}">${escapeHtml(message!)}</a></li>`)
    .join('')}</ul>
</div>`
      : '';
    const field = (id: 'name' | 'password', label: string, input: string, hint?: string) => {
      const describedBy = [hint ? `${id}-hint` : '', errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ');
      return `<div>
  <label for="${id}">${escapeHtml(label)}</label>
  ${hint ? `<p class="hint" id="${id}-hint">${escapeHtml(hint)}</p>` : ''}
  ${errors[id] ? `<p class="error" id="${id}-error">${escapeHtml(errors[id]!)}</p>` : ''}
  ${input.replace('/>', `${describedBy ? ` aria-describedby="${describedBy}"` : ''}${errors[id] ? ' aria-invalid="true"' : ''}>`)}
</div>`;
    };
    if (preview.accountExists) {
      return `<p><a href="/invite/${encodeURIComponent(token)}?lang=${other}" lang="${other}">${escapeHtml(t.language)}</a></p>
<h1>${escapeHtml(t.heading(preview.targetName))}</h1>
<p>${escapeHtml(t.intro(preview.email, t.roles[preview.role] ?? preview.role))}</p>
<p>${escapeHtml(t.existing)}</p>`;
    }
    const fields = `<p>${escapeHtml(t.newAccount)}</p>
${field('name', t.name, `<input type="text" id="name" name="name" autocomplete="name" required maxlength="200" value="${escapeHtml(state.name ?? '')}"/>`)}
${field('password', t.password, `<input type="password" id="password" name="password" autocomplete="new-password" required minlength="10" maxlength="200"/>`, t.passwordHint)}`;
    return `<p><a href="/invite/${encodeURIComponent(token)}?lang=${other}" lang="${other}">${escapeHtml(t.language)}</a></p>
<h1>${escapeHtml(t.heading(preview.targetName))}</h1>
${summary}
<p>${escapeHtml(t.intro(preview.email, t.roles[preview.role] ?? preview.role))}</p>
<form method="post" action="${escapeHtml(action)}" novalidate>
${fields}
<button type="submit">${escapeHtml(t.accept)}</button>
</form>`;
  }

  private sendBroken(res: FastifyReply, lang: Lang, error: unknown): void {
    if (!(error instanceof AppError)) throw error;
    const t = TEXT[lang];
    const message = t.broken[error.code] ?? t.broken.INVITATION_NOT_FOUND;
    this.send(
      res,
      error.status,
      lang,
      `<h1>${escapeHtml(t.brokenTitle)}</h1>\n<p class="error" role="alert">${escapeHtml(message)}</p>`,
      t.brokenTitle,
    );
  }

  private send(res: FastifyReply, status: number, lang: Lang, body: string, title = TEXT[lang].title): void {
    sendPage(res, status, { lang, title, body });
  }
}
