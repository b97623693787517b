import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';

/**
 * Timed work that claims due rows on an interval (every DISPATCH_INTERVAL_MS). A run that is still
 * going when the next tick comes is not overlapped on this instance; other instances are kept
 * apart by the rows' claims (FOR UPDATE SKIP LOCKED), not by this class. Shutdown waits for the
 * current run.
 */
export abstract class IntervalJob<T = number> implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger: Logger;
  private running: Promise<T> | undefined;
  protected stopped = false;

  protected constructor(
    private readonly jobName: string,
    private readonly intervalMs: number,
    private readonly schedulerRegistry: SchedulerRegistry,
  ) {
    this.logger = new Logger(new.target.name);
  }

  /** One pass over what is due; returns how much it did. */
  protected abstract run(): Promise<T>;

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.tick(), this.intervalMs);
    this.schedulerRegistry.addInterval(this.jobName, timer);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Runs now (tests and operators); joins a run already going on this instance. */
  protected runNow(): Promise<T> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    try {
      await this.runNow();
    } catch (error) {
      this.logger.error({ err: error }, `${this.jobName} failed`);
    }
  }
}
