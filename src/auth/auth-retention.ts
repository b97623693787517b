import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { RetentionRegistry } from '../common/retention.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { affected } from '../database/sql.js';

const DAY = 24 * 3600_000;

/** Sign-in links a day after they expire (used or not); failed sign-ins once outside the throttle's window. */
@Injectable()
export class AuthRetention implements OnModuleInit {
  constructor(
    private readonly retention: RetentionRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.retention.register({
      name: 'auth.magic-links',
      description: 'Sign-in and password links: a day after they expire',
      purge: (manager, now) => affected(manager, 'DELETE FROM magic_link_tokens WHERE expires_at < $1', [new Date(now.getTime() - DAY)]),
    });
    this.retention.register({
      name: 'auth.login-failures',
      description: 'Failed sign-ins and registrations (they name the address): once outside LOGIN_FAILURE_WINDOW_MINUTES',
      purge: (manager, now) => affected(manager, 'DELETE FROM login_failures WHERE occurred_at < $1', [new Date(now.getTime() - this.config.loginFailureWindowMinutes * 60_000)]),
    });
  }
}
