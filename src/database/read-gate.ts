import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';

/**
 * A first-come-first-served limit on how many of the costly reads (search, recommendations) one
 * process runs in the database at once (DATABASE_HEAVY_READS); the others wait here, in order.
 *
 * Why: such a read is a few milliseconds of CPU in PostgreSQL. With as many in flight as there are
 * clients, the database's cores are shared among all of them and each takes as long as the slowest
 * mix of its neighbours; queued here instead, each runs nearly alone, so the latencies bunch
 * around the mean instead of spreading (on 2 cores the p95 of recommendations at 16 clients and of
 * search at 32 fell by 14–32 % at the same throughput, see bench/RESULTS.md). The pool stays
 * larger, so that cheap queries, writes and long reports never wait behind these reads.
 */
export class ReadGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      // hand the slot to the next in line (active stays), or free it
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** Reads running and waiting (for tests and diagnostics). */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }
}

/** The process's gate for costly reads, sized by the configuration. */
@Injectable()
export class HeavyReads extends ReadGate {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config.databaseHeavyReads);
  }
}
