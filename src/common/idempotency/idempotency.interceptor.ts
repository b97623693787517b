import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, of } from 'rxjs';
import { DataSource } from 'typeorm';
import { Clock } from '../clock.js';
import { sha256Json } from '../crypto.js';
import { AppError } from '../errors/app-error.js';

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

/**
 * Honours `Idempotency-Key` on every write (POST, PUT, PATCH): the same key and body within 24 h
 * returns the first result instead of acting twice; the same key with another body is 409.
 * Concurrent requests with one key: the first acts, the others wait for its result.
 * The key row is claimed with a unique constraint, so this holds across instances.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
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
    const scope = req.user?.id ?? 'anonymous';
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
