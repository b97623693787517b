import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account security (issue 24, F1/F6/F7): a verified address, a token version that revokes every
 * access token when bumped, link tokens with a purpose (sign-in or password reset), and throttle
 * rows of a kind (failed sign-ins and registrations share one table and one reservation rule).
 * Existing accounts start unverified: any completed link flow verifies them.
 */
export class AccountSecurity1796500000000 implements MigrationInterface {
  name = 'AccountSecurity1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "email_verified_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "users" ADD "auth_version" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "magic_link_tokens" ADD "purpose" character varying(10) NOT NULL DEFAULT 'sign-in'`);
    await queryRunner.query(`ALTER TABLE "login_failures" ADD "kind" character varying(10) NOT NULL DEFAULT 'login'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "login_failures" DROP COLUMN "kind"`);
    await queryRunner.query(`ALTER TABLE "magic_link_tokens" DROP COLUMN "purpose"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "auth_version"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_verified_at"`);
  }
}
