import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { IntervalJob } from '../common/interval-job.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { rows } from '../database/sql.js';

/** One mixer at a time across instances (a transaction-scoped advisory lock; the next one waits, then sees what the first left). */
const MIX_LOCK = 24_010;

/**
 * Moves anonymous answers from evaluation_response_inbox to evaluation_responses, in random order,
 * in a transaction of its own (so no answer shares an xmin with the invitation marked answered),
 * once at least EVALUATION_MIX_MIN_ANSWERS wait or the oldest has waited
 * EVALUATION_MIX_MAX_WAIT_HOURS. Runs on the interval and right after an answer is given.
 */
@Injectable()
export class ResponseMixer extends IntervalJob {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    scheduler: SchedulerRegistry,
  ) {
    super('response-mixer', config.dispatchIntervalMs, scheduler);
  }

  protected run(): Promise<number> {
    return this.mixDue();
  }

  /**
   * Mixes now if the inbox is due; answers how many answers moved. Not joined to a run already
   * going (whose snapshot might miss an answer just committed): it waits for the lock instead.
   */
  async mixDue(): Promise<number> {
    const minAnswers = this.config.evaluationMixMinAnswers;
    const oldestAllowed = new Date(this.clock.now().getTime() - this.config.evaluationMixMaxWaitHours * 3600_000);
    return this.dataSource.transaction(async (manager) => {
      // A statement of its own, so that the reads below see what a previous holder committed.
      await manager.query('SELECT pg_advisory_xact_lock($1::int)', [MIX_LOCK]);
      const waiting = rows<{ id: string; received_at: Date }>(
        await manager.query('SELECT id, received_at FROM evaluation_response_inbox FOR UPDATE'),
      );
      if (waiting.length === 0) return 0;
      const due = waiting.length >= minAnswers || waiting.some((w) => w.received_at <= oldestAllowed);
      if (!due) return 0;
      const ids = waiting.map((w) => w.id);
      // New random ids, random order (so the heap order says nothing), the day only, never the arrival time.
      await manager.query(
        `INSERT INTO evaluation_responses
           (questionnaire_id, questionnaire_version, offering_id, session_id, provider_id, theme_codes, organisation_id, answers, answered_on)
         SELECT questionnaire_id, questionnaire_version, offering_id, session_id, provider_id, theme_codes, organisation_id, answers, answered_on
           FROM evaluation_response_inbox WHERE id = ANY($1::uuid[])
          ORDER BY random()`,
        [ids],
      );
      await manager.query('DELETE FROM evaluation_response_inbox WHERE id = ANY($1::uuid[])', [ids]);
      this.logger.log(`mixed ${ids.length} anonymous answer(s) into the results`);
      return ids.length;
    });
  }
}
