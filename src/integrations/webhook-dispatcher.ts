import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import http from 'node:http';
import https from 'node:https';
import { createSecretKey, type KeyObject } from 'node:crypto';
import net from 'node:net';
import { DataSource, type EntityManager } from 'typeorm';
import { UsersService } from '../auth/users.service.js';
import { Clock } from '../common/clock.js';
import { IntervalJob } from '../common/interval-job.js';
import { backoffDelay, type ClaimedRow, OutboxQueue } from '../common/outbox-queue.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { rows as rowsOf } from '../database/sql.js';
import { MailService } from '../mail/mail.service.js';
import { webhookDisabledMail } from '../mail/templates/webhook.template.js';
import { ForbiddenAddressError, guardedLookup, hostOf, isForbiddenAddress } from './url-guard.js';
import { decryptSecret, signWebhookWithKey, webhookKey, webhookSigningKey } from './webhook-crypto.js';

interface DeliveryRow extends ClaimedRow {
  endpoint_id: string;
  body: string;
  /** When the event was written, in ms (a number parses cheaper than a timestamp). */
  created_ms: number;
  /** The endpoint's, read in the claim. */
  url: string;
  secret_encrypted: string;
  /** Whether the endpoint was failing when claimed. */
  failing: boolean;
}

/** Where and how a delivery is posted, worked out once per stored URL and secret. */
export interface Target {
  protocol: string;
  hostname: string;
  port: number;
  path: string;
  agent: http.Agent;
  /** The guarded DNS lookup, for a host name (an IP literal is checked once, in `forbidden`). */
  lookup: ReturnType<typeof guardedLookup> | undefined;
  /** The Host header (headers are passed as a list, which Node sends as given, without adding Host). */
  host: string;
  secure: boolean;
  /** Why the URL's IP literal may not be posted to (null: it may, or it is a name checked at lookup). */
  forbidden: string | null;
  /** The secret's decoded bytes, the HMAC key. */
  key: KeyObject;
}

/** The receiver's answer, or why there was none. */
export type Attempt = { status: number; retryAfterMs: number | null } | { error: string };

const BATCH = 1000;
/** Requests in flight at once per instance (over keep-alive connections). */
const PARALLEL = 32;
const MAX_BACKOFF_MS = 6 * 3600_000;
const JITTER = 0.2;
/** The longest Retry-After honoured. */
const MAX_RETRY_AFTER_MS = 24 * 3600_000;
const PURGE_EVERY_MS = 3600_000;
/** How long an endpoint's row is waited for while batches are held (see changeEndpoints). */
const ENDPOINT_LOCK_TIMEOUT = '2s';

/**
 * Sends webhook deliveries through the shared OutboxQueue (any instance; FOR UPDATE SKIP LOCKED).
 * Each attempt is signed afresh (Standard Webhooks: webhook-id, webhook-timestamp,
 * webhook-signature). 2xx is success; anything else is retried with backoff and jitter until
 * WEBHOOK_RETRY_HOURS after the event; 429's Retry-After is honoured; 410 turns the endpoint off;
 * an endpoint failing for WEBHOOK_DISABLE_AFTER_HOURS is turned off; either way its owner is
 * emailed. Redirects are not followed; addresses are checked after DNS (url-guard).
 */
@Injectable()
export class WebhookDispatcher extends IntervalJob {
  /** Deliveries this instance has sent since it started (for operators, tests and benchmarks). */
  sentTotal = 0;
  private lastPurge = 0;
  private readonly queue: OutboxQueue<DeliveryRow>;
  /** Targets by endpoint, with the stored URL and sealed secret they were worked out from. */
  private readonly targets = new Map<string, { url: string; sealed: string; target: Target }>();
  /**
   * Endpoints that answered 2xx in the batch being sent, split by whether they were failing when
   * claimed; and those that failed in it. An endpoint that answered is no longer failing, also when
   * another of its deliveries in the same batch failed (before or after the success): not every
   * attempt failed.
   */
  private readonly recoveredEndpoints = new Set<string>();
  private readonly answeredEndpoints = new Set<string>();
  private readonly failedEndpoints = new Set<string>();
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: PARALLEL });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: PARALLEL });
  private readonly lookup: ReturnType<typeof guardedLookup>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly mail: MailService,
    private readonly users: UsersService,
    scheduler: SchedulerRegistry,
  ) {
    super('webhook-dispatcher', config.dispatchIntervalMs, scheduler);
    this.lookup = guardedLookup(config.webhooksAllowPrivateUrls);
    this.queue = new OutboxQueue<DeliveryRow>(dataSource, clock, {
      table: 'webhook_deliveries',
      columns: ['q.endpoint_id', 'q.body', '(extract(epoch FROM q.created_at) * 1000)::float8 AS created_ms', 'e.url', 'e.secret_encrypted', 'e.failing_since IS NOT NULL AS failing'],
      join: { table: 'webhook_endpoints', alias: 'e', on: 'e.id = q.endpoint_id' },
      batch: BATCH,
      parallel: PARALLEL,
      // A disabled endpoint's deliveries wait (they go out if it is turned on again, until purged).
      claimable: 'endpoint_id IN (SELECT id FROM webhook_endpoints WHERE enabled)',
      // sent means the receiver answered 2xx; the code of a failed attempt is kept while retrying.
      onSent: 'last_status_code = NULL',
    });
  }

  /** Sends everything due now; returns how many deliveries succeeded. */
  dispatchDue(): Promise<number> {
    return this.runNow();
  }

  /** A due delivery again (manual retry); false when it is being sent now. */
  retryNow(deliveryId: string): Promise<boolean> {
    return this.queue.retryNow(deliveryId);
  }

  override async onApplicationShutdown(): Promise<void> {
    await super.onApplicationShutdown();
    clearInterval(this.sweeper);
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  protected async run(): Promise<number> {
    const sent = await this.queue.drain({
      send: (row) => this.deliver(row),
      stopped: () => this.stopped,
      afterSent: () => this.recovered(),
    });
    this.sentTotal += sent;
    if (sent > 0) this.logger.log(`delivered ${sent} webhook(s)`);
    if (Date.now() - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = Date.now();
      await this.purgeOld();
    }
    return sent;
  }

  /** The delivery log is kept WEBHOOK_RETENTION_DAYS. */
  async purgeOld(): Promise<number> {
    const purged = await this.queue.purge(new Date(this.clock.now().getTime() - this.config.webhookRetentionDays * 24 * 3600_000));
    if (purged > 0) this.logger.log(`purged ${purged} webhook deliveries past retention`);
    return purged;
  }

  /** Where and with what a delivery is sent (decryption, URL parsing and checks once per endpoint's URL and secret). */
  private target(row: DeliveryRow): Target {
    const cached = this.targets.get(row.endpoint_id);
    // A changed URL or rotated secret is worked out anew.
    if (cached && cached.url === row.url && cached.sealed === row.secret_encrypted) return cached.target;
    if (this.targets.size > 10_000) this.targets.clear();
    const target = this.targetFor(row.url, decryptSecret(webhookKey(this.config), row.secret_encrypted));
    this.targets.set(row.endpoint_id, { url: row.url, sealed: row.secret_encrypted, target });
    return target;
  }

  /** How to post to `url` signing with `secret` (`whsec_…`). */
  targetFor(address: string, secret: string): Target {
    const url = new URL(address);
    const host = hostOf(url);
    const secure = url.protocol === 'https:';
    return {
      protocol: url.protocol,
      hostname: host,
      port: url.port ? Number(url.port) : secure ? 443 : 80,
      path: `${url.pathname}${url.search}`,
      agent: secure ? this.httpsAgent : this.httpAgent,
      lookup: net.isIP(host) ? undefined : this.lookup,
      host: url.host,
      secure,
      forbidden: net.isIP(host) && !this.config.webhooksAllowPrivateUrls && isForbiddenAddress(host) ? new ForbiddenAddressError(host, host).message : null,
      key: createSecretKey(webhookSigningKey(secret)),
    };
  }

  private async deliver(row: DeliveryRow): Promise<boolean> {
    const attempt = await this.post(this.target(row), row.id, row.body);
    if ('status' in attempt && attempt.status >= 200 && attempt.status < 300) {
      (row.failing ? this.recoveredEndpoints : this.answeredEndpoints).add(row.endpoint_id);
      return true;
    }
    await this.failed(row, attempt);
    return false;
  }

  /**
   * One signed POST; never follows a redirect; times out after WEBHOOK_TIMEOUT_MS. A kept-alive
   * connection that the receiver closed just as it was reused (ECONNRESET before any answer) is
   * tried once more on a new connection at once, as Node's documentation advises, rather than
   * waiting for the backoff: the receiver never saw that request.
   */
  post(target: Target, id: string, body: string, retried = false): Promise<Attempt> {
    if (target.forbidden) return Promise.resolve({ error: target.forbidden });
    // Wall time, not the app clock: receivers check it against their own clocks (replay protection).
    const timestamp = String(Math.floor(Date.now() / 1000));
    const payload = Buffer.from(body); // encoded once, for the signature and the request
    return new Promise<Attempt>((resolve) => {
      const request = (target.secure ? https : http).request(
        {
          // One literal of one shape for every request (cheaper for Node's agent than a spread).
          method: 'POST',
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          path: target.path,
          agent: target.agent,
          lookup: target.lookup,
          // As a list: sent as given, without the per-header work an object's headers take.
          headers: [
            'host', target.host,
            'content-type', 'application/json',
            'content-length', String(payload.length),
            'user-agent', 'Kompetenslyft-Webhooks/1',
            'webhook-id', id,
            'webhook-timestamp', timestamp,
            'webhook-signature', signWebhookWithKey(target.key, id, timestamp, payload),
          ],
        },
        (response) => {
          response.resume(); // the body is not read
          response.on('end', () => {
            this.inFlight.delete(request);
            const status = response.statusCode ?? 0;
            // Retry-After is read only where it is honoured (reading headers builds their object).
            resolve({ status, retryAfterMs: status === 429 ? retryAfter(response.headers['retry-after'], this.clock.now()) : null });
          });
          response.on('error', (error) => finish(error));
        },
      );
      const finish = (error: Error) => {
        this.inFlight.delete(request);
        if (!retried && request.reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
          resolve(this.post(target, id, body, true));
          return;
        }
        resolve({ error: error.message.slice(0, 500) });
      };
      this.watch(request);
      request.on('error', finish);
      request.end(payload);
    });
  }

  /**
   * Requests in flight with the time they must have been answered by. One sweep ends those past it
   * (a timer per request costs more than the request's own work at thousands a second).
   */
  private readonly inFlight = new Map<http.ClientRequest, number>();
  private sweeper: NodeJS.Timeout | undefined;

  private watch(request: http.ClientRequest): void {
    const timeoutMs = this.config.webhookTimeoutMs;
    this.inFlight.set(request, Date.now() + timeoutMs);
    this.sweeper ??= setInterval(() => {
      const now = Date.now();
      for (const [inFlight, deadline] of this.inFlight) {
        if (deadline <= now) {
          this.inFlight.delete(inFlight);
          inFlight.destroy(new Error(`no answer within ${timeoutMs} ms`));
        }
      }
      if (this.inFlight.size === 0) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
      }
    }, Math.max(25, Math.min(1000, Math.floor(timeoutMs / 10)))).unref();
  }

  /** A failed attempt: retried later, or given up; the endpoint is turned off on 410 or after failing for days. */
  private async failed(row: DeliveryRow, attempt: Attempt): Promise<void> {
    const now = this.clock.now();
    this.failedEndpoints.add(row.endpoint_id);
    const status = 'status' in attempt ? attempt.status : null;
    const error = 'status' in attempt ? `HTTP ${attempt.status}` : attempt.error;
    const gone = status === 410;
    let delay = backoffDelay(row.attempts, this.config.webhookRetryBaseMs, MAX_BACKOFF_MS, JITTER);
    if (status === 429 && 'status' in attempt && attempt.retryAfterMs !== null) delay = Math.max(delay, Math.min(attempt.retryAfterMs, MAX_RETRY_AFTER_MS));
    const next = new Date(now.getTime() + delay);
    const giveUp = gone || next.getTime() > row.created_ms + this.config.webhookRetryHours * 3600_000;
    await this.queue.retryLater(row.id, giveUp ? null : next, error, { sql: 'last_status_code = $5', params: [status] });
    const [endpoint] =
      (await this.changeEndpoints(async (manager) =>
        rowsOf<{ failing_since: Date; enabled: boolean }>(
          await manager.query(`UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, $2) WHERE id = $1 RETURNING failing_since, enabled`, [
            row.endpoint_id,
            now,
          ]),
        ),
      )) ?? [];
    if (!endpoint?.enabled) return;
    const failingHours = (now.getTime() - endpoint.failing_since.getTime()) / 3600_000;
    if (gone) await this.disable(row.endpoint_id, 'gone', 0);
    else if (failingHours >= this.config.webhookDisableAfterHours) await this.disable(row.endpoint_id, 'failing', Math.floor(failingHours));
  }

  /** Turns the endpoint off (once: whoever turns it off emails its owner, in the same transaction). */
  private async disable(endpointId: string, reason: 'gone' | 'failing', hours: number): Promise<void> {
    await this.changeEndpoints(async (manager) => {
      const [endpoint] = rowsOf<{ url: string; created_by_user_id: string | null }>(
        await manager.query(
          `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, disabled_at = $3, updated_at = $3
            WHERE id = $1 AND enabled RETURNING url, created_by_user_id`,
          [endpointId, reason, this.clock.now()],
        ),
      );
      if (!endpoint) return;
      this.logger.warn(`webhook endpoint ${endpointId} turned off (${reason})`);
      const owner = endpoint.created_by_user_id ? await this.users.findActiveById(endpoint.created_by_user_id, manager) : null;
      if (!owner) return;
      await this.mail.enqueue(manager, {
        dedupeKey: `webhook-disabled:${endpointId}:${this.clock.now().getTime()}`,
        to: owner.email,
        template: 'webhook-disabled',
        locale: owner.locale,
        content: webhookDisabledMail(owner.locale, { name: owner.name, url: endpoint.url, reason, hours }),
      });
    });
  }

  /** Endpoints that answered again are no longer failing (only those that were: no statement otherwise). */
  private async recovered(): Promise<void> {
    for (const id of this.answeredEndpoints) if (this.failedEndpoints.has(id)) this.recoveredEndpoints.add(id);
    this.answeredEndpoints.clear();
    this.failedEndpoints.clear();
    if (this.recoveredEndpoints.size === 0) return;
    const ids = [...this.recoveredEndpoints];
    this.recoveredEndpoints.clear();
    await this.changeEndpoints((manager) => manager.query('UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ANY($1::uuid[])', [ids]));
  }

  /**
   * Changes endpoints, waiting at most ENDPOINT_LOCK_TIMEOUT for their rows; undefined when one is
   * being changed or deleted meanwhile (its failing mark or turning off waits for the next attempt).
   * The wait must be bounded: this runs while batches hold their deliveries' row locks, and deleting
   * an endpoint (its deliveries with it) waits for those locks while holding the endpoint's row; an
   * unbounded wait here would wait for that delete, which waits for the batch, which waits for this.
   */
  private async changeEndpoints<T>(work: (manager: EntityManager) => Promise<T>): Promise<T | undefined> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL lock_timeout = '${ENDPOINT_LOCK_TIMEOUT}'`);
        return work(manager);
      });
    } catch (error) {
      if ((error as { code?: string }).code !== '55P03') throw error;
      this.logger.warn('a webhook endpoint was being changed or deleted: its failing mark waits for the next attempt');
      return undefined;
    }
  }
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now (null when absent or unreadable). */
export function retryAfter(header: string | undefined, now: Date): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
