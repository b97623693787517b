import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from './clock.js';
import { IntervalJob } from './interval-job.js';

/**
 * "Retention is data" (ARCHITECTURE): each module that holds personal data registers how long it
 * keeps each kind and how it purges (deletes or anonymises) what is past that, as a rule. One job
 * runs every rule on a schedule.
 */
export interface RetentionRule {
  /** e.g. `auth.magic-links`: names the rule in logs and in the job's result. */
  name: string;
  /** What is kept how long, for people (README) and operators. */
  description: string;
  /** Purges what is past its time at `now`; runs in its own transaction; returns how many rows it changed. Running it twice changes nothing twice. */
  purge(manager: EntityManager, now: Date): Promise<number>;
}

@Injectable()
export class RetentionRegistry {
  private readonly rules: RetentionRule[] = [];

  register(rule: RetentionRule): void {
    if (this.rules.some((r) => r.name === rule.name)) throw new Error(`retention rule ${rule.name} registered twice`);
    this.rules.push(rule);
  }

  all(): readonly RetentionRule[] {
    return this.rules;
  }
}

/** How often the rules run (the purges are by date, so how often only bounds how late). */
export const RETENTION_INTERVAL_MS = 3600_000;

/**
 * Runs every retention rule, each in its own transaction under a transaction-level advisory lock
 * named after it, so that instances running at once take turns rather than doing the same work.
 */
@Injectable()
export class RetentionJob extends IntervalJob<Record<string, number>> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: RetentionRegistry,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    scheduler: SchedulerRegistry,
  ) {
    super('retention', Math.max(config.dispatchIntervalMs, RETENTION_INTERVAL_MS), scheduler);
  }

  /** Runs every rule now (tests, operators); answers what each purged. */
  purgeNow(): Promise<Record<string, number>> {
    return this.runNow();
  }

  protected async run(): Promise<Record<string, number>> {
    const now = this.clock.now();
    const result: Record<string, number> = {};
    for (const rule of this.registry.all()) {
      if (this.stopped) break;
      result[rule.name] = await this.dataSource.transaction(async (manager) => {
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext('retention:' || $1))`, [rule.name]);
        return rule.purge(manager, now);
      });
    }
    const purged = Object.entries(result).filter(([, n]) => n > 0);
    if (purged.length) this.logger.log(`retention purged ${purged.map(([name, n]) => `${name}: ${n}`).join(', ')}`);
    return result;
  }
}
