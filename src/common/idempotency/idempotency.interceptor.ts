import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IS_PUBLIC } from '../decorators/auth.decorators.js';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, of } from 'rxjs';
import { DataSource } from 'typeorm';
import { Clock } from '../clock.js';
import { sha256Json } from '../crypto.js';
import { AppError } from '../errors/app-error.js';
import { IntervalJob } from '../interval-job.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { run } from '../../database/sql.js';

export enum IdempotencyErrorCode {
  KEY_INVALID = 'IDEMPOTENCY_KEY_INVALID',
  KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  IN_PROGRESS = 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
}

const TTL_MS = 24 * 3600_000;
/** A request still unfinished after this long is taken to have died with its instance. */
const ABANDONED_MS = 60_000;
const WAIT_MS = 20_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** The path without the query string, as Express's `req.path` gave it. */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

interface KeyRow {
  request_hash: string;
  response_body: unknown;
  completed_at: Date | null;
  created_at: Date;
}

/** Deletes keys past their 24 h (on the dispatch interval): replays hold whole responses, kept no longer than needed. */
@Injectable()
export class IdempotencyPurge extends IntervalJob {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    scheduler: SchedulerRegistry,
  ) {
    super('idempotency-purge', Math.max(config.dispatchIntervalMs, 60_000), scheduler);
  }

  purgeExpired(): Promise<number> {
    return this.runNow();
  }

  protected async run(): Promise<number> {
    const { affected } = await run(this.dataSource.manager, `DELETE FROM idempotency_keys WHERE created_at < $1`, [
      new Date(this.clock.now().getTime() - TTL_MS),
    ]);
    return affected;
  }
}

const NO_RECORD = 'idempotency:no-record';

/**
 * For writes whose body must not be kept even as a hash (an identity number is guessable from its
 * SHA-256) and that are safe to repeat on their own (an upsert): the header is ignored, nothing is stored.
 */
export const NoIdempotencyRecord = () => SetMetadata(NO_RECORD, true);

/**
 * Honours `Idempotency-Key` on every write (POST, PUT, PATCH) of a signed-in caller: the same key and body within 24 h
 * returns the first result instead of acting twice; the same key with another body is 409.
 * Concurrent requests with one key: the first acts, the others wait for its result.
 * The key row is claimed with a unique constraint, so this holds across instances.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<FastifyRequest & { user?: { id: string } }>();
    const raw = req.headers['idempotency-key'];
    if (raw === undefined || !['POST', 'PUT', 'PATCH'].includes(req.method)) return next.handle();
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!KEY_PATTERN.test(key)) {
      throw new AppError(400, IdempotencyErrorCode.KEY_INVALID, 'Idempotency-Key must be 1–200 visible ASCII characters', [
        { field: 'Idempotency-Key', messages: ['must be 1–200 visible ASCII characters'] },
      ]);
    }
    // Only signed-in callers' writes on non-public routes are replayed. Public and anonymous routes (register, login, magic-link
    // verify, invitation accept…) answer with tokens and addresses, which must not be stored: the
    // header is ignored there (they are safe to retry on their own terms: 409, single-use links).
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic || !req.user?.id || this.reflector.getAllAndOverride<boolean>(NO_RECORD, [context.getHandler(), context.getClass()])) return next.handle();
    const scope = req.user.id;
    const hash = sha256Json({ method: req.method, path: pathOf(req.url), body: req.body ?? null });
    const res = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.claim(scope, key, hash)).pipe(
      mergeMap((claim) => {
        if (claim.replay) {
          res.header('Idempotent-Replayed', 'true');
          return of(claim.body);
        }
        return next.handle().pipe(
          mergeMap(async (body) => {
            await this.dataSource.query(
              `UPDATE idempotency_keys SET response_body = $3, completed_at = $4 WHERE scope = $1 AND key = $2`,
              [scope, key, JSON.stringify(body ?? null), this.clock.now()],
            );
            return body;
          }),
          catchError(async (error) => {
            // A failed request leaves no trace, so a corrected retry with the same key can act.
            await this.dataSource.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2`, [scope, key]);
            throw error;
          }),
        );
      }),
    );
  }

  private async claim(scope: string, key: string, hash: string): Promise<{ replay: false } | { replay: true; body: unknown }> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const now = this.clock.now();
      await this.dataSource.query(
        `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2
            AND (created_at < $3 OR (completed_at IS NULL AND created_at < $4))`,
        [scope, key, new Date(now.getTime() - TTL_MS), new Date(now.getTime() - ABANDONED_MS)],
      );
      const inserted: unknown[] = await this.dataSource.query(
        `INSERT INTO idempotency_keys (scope, key, request_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT ON CONSTRAINT uq_idempotency_keys_scope_key DO NOTHING RETURNING id`,
        [scope, key, hash, now],
      );
      if (inserted.length) return { replay: false };
      const [row] = (await this.dataSource.query(
        `SELECT request_hash, response_body, completed_at, created_at FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key],
      )) as KeyRow[];
      if (row) {
        if (row.request_hash !== hash) {
          throw AppError.conflict(IdempotencyErrorCode.KEY_REUSED, 'This Idempotency-Key was used with another request');
        }
        if (row.completed_at) return { replay: true, body: row.response_body };
      }
      if (Date.now() > deadline) {
        throw AppError.conflict(IdempotencyErrorCode.IN_PROGRESS, 'A request with this Idempotency-Key is still being processed');
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
