import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { ReferenceListsService } from './reference-lists.js';
import { Csrf } from './csrf.js';
import { ErrorPages } from './error-pages.js';
import { PageServices, WebGuard } from './page.js';
import { Views } from './views.js';
import { WebSessionsService } from './web-sessions.service.js';

/**
 * The web front end's foundation (see docs/web.md): view engine and layout, cookie sessions, CSRF,
 * language, error pages. Global, so that every feature's `pages/` controllers use it.
 */
@Global()
@Module({
  imports: [AuthModule, ReferenceModule],
  providers: [
    { provide: Views, useFactory: () => new Views() },
    { provide: Csrf, useFactory: (config: AppConfig) => new Csrf(config.jwtSecret), inject: [APP_CONFIG] },
    WebSessionsService,
    PageServices,
    WebGuard,
    ErrorPages,
    ReferenceListsService,
  ],
  exports: [Views, Csrf, WebSessionsService, PageServices, WebGuard, ErrorPages, ReferenceListsService],
})
export class WebModule {}
