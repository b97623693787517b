import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../common/decorators/auth.decorators.js';
import { AppError } from '../common/errors/app-error.js';
import { escapeHtml, renderPage } from '../common/html.js';
import { AuthService } from './auth.service.js';

/**
 * The page a sign-in link opens. The GET only shows a button, so that mail scanners that follow
 * links do not use up the single-use token; the POST signs in.
 */
@ApiExcludeController()
@Public()
@Controller('magic-link')
export class MagicLinkPageController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  show(@Query('token') token?: string): string {
    return renderPage({
      lang: 'sv',
      title: 'Logga in',
      body: `<h1>Logga in på Kompetenslyft</h1>
<form method="post" action="/magic-link">
  <input type="hidden" name="token" value="${escapeHtml(String(token ?? ''))}">
  <p>Tryck på knappen för att logga in.</p>
  <button type="submit">Logga in</button>
</form>`,
    });
  }

  @Post()
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async signIn(@Body() body: { token?: unknown }): Promise<string> {
    try {
      if (typeof body?.token !== 'string' || body.token.length < 20) throw AppError.unauthenticated();
      const result = await this.auth.verifyMagicLink(body.token);
      return renderPage({
        lang: 'sv',
        title: 'Du är inloggad',
        body: `<h1>Du är inloggad</h1>
<p class="notice" role="status">Välkommen ${escapeHtml(result.user.name ?? '')}! Du är nu inloggad som ${escapeHtml(result.user.email)}.</p>
<label for="access-token">Åtkomstnyckel för appar och API (giltig i ${Math.round(result.expiresIn / 3600)} timmar)</label>
<input type="text" id="access-token" readonly value="${escapeHtml(result.accessToken)}">`,
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return renderPage({
        lang: 'sv',
        title: 'Länken fungerar inte',
        body: `<h1>Länken fungerar inte</h1>
<p class="error" role="alert">Inloggningslänken är redan använd, för gammal eller okänd.</p>
<p>Be om en ny länk och använd den inom en kvart.</p>`,
      });
    }
  }
}
