import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditModule } from './audit/audit.module.js';
import { AuditPagesModule } from './audit/pages/audit-pages.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BookingsModule } from './bookings/bookings.module.js';
import { CatalogueModule } from './catalogue/catalogue.module.js';
import { JwtAuthGuard, RolesGuard } from './auth/guards.js';
import { Clock } from './common/clock.js';
import { CommonModule } from './common/common.module.js';
import { IdempotencyInterceptor, IdempotencyPurge } from './common/idempotency/idempotency.interceptor.js';
import { RetentionJob } from './common/retention.js';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter.js';
import { createValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { dataSourceOptions, runMigrations } from './database/data-source.js';
import { FollowUpModule } from './follow-up/follow-up.module.js';
import { HealthModule } from './health/health.module.js';
import { IntegrationsModule } from './integrations/integrations.module.js';
import { InvitationsModule } from './invitations/invitations.module.js';
import { MailModule } from './mail/mail.module.js';
import { MatchingModule } from './matching/matching.module.js';
import { NeedsModule } from './needs/needs.module.js';
import { OrganisationsModule } from './organisations/organisations.module.js';
import { ParticipantsModule } from './participants/participants.module.js';
import { ProgrammesModule } from './programmes/programmes.module.js';
import { ReferenceModule } from './reference/reference.module.js';
import { WebModule } from './web/web.module.js';
import { WebPagesModule } from './web/pages/web-pages.module.js';
import { ProviderPagesModule } from './web/provider/provider-pages.module.js';
import { CoordinatorPagesModule } from './web/coordinator/coordinator-pages.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  /** The database to use: DATABASE_URL, or the embedded server's URL. */
  databaseUrl: string;
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, clock }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot(clock),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(databaseUrl, { extra: { max: config.databasePoolMax } }),
          // Migrations run at start, under an advisory lock (several instances may start at once).
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            await runMigrations(dataSource);
            return dataSource;
          },
        }),
        ScheduleModule.forRoot(),
        WebModule,
        AuditModule,
        MailModule,
        AuthModule,
        ReferenceModule,
        InvitationsModule,
        OrganisationsModule,
        CatalogueModule,
        NeedsModule,
        BookingsModule,
        MatchingModule,
        FollowUpModule,
        ProgrammesModule,
        ParticipantsModule,
        IntegrationsModule,
        HealthModule,
        WebPagesModule,
        ProviderPagesModule,
        CoordinatorPagesModule,
        AuditPagesModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        IdempotencyPurge,
        RetentionJob,
      ],
    };
  }
}
