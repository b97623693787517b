import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outboxes' due indexes hold only rows still to send (pending, or claimed the earlier way):
 * marking a row sent no longer adds an entry to them, and the claim walks an index that stays as
 * small as the queue instead of growing with every row kept for the log (30 days of deliveries,
 * MAIL_RETENTION_DAYS of emails). Purging sent rows, hourly, reads the table instead.
 */
export class OutboxDueIndexes1796950000000 implements MigrationInterface {
  name = 'OutboxDueIndexes1796950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['mail_outbox', 'webhook_deliveries']) {
      await queryRunner.query(`DROP INDEX "public"."ix_${table}_due"`);
      await queryRunner.query(`CREATE INDEX "ix_${table}_due" ON "${table}" ("status", "next_attempt_at") WHERE "status" IN ('pending', 'sending')`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['mail_outbox', 'webhook_deliveries']) {
      await queryRunner.query(`DROP INDEX "public"."ix_${table}_due"`);
      await queryRunner.query(`CREATE INDEX "ix_${table}_due" ON "${table}" ("status", "next_attempt_at")`);
    }
  }
}
