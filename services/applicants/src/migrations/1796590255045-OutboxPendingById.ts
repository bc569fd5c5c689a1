import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxPendingById1796590255045 implements MigrationInterface {
  name = 'OutboxPendingById1796590255045';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "applicants"."outbox_pending"`);
    await queryRunner.query(`CREATE INDEX "outbox_pending" ON "applicants"."outbox"  ("id") WHERE sent_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "applicants"."outbox_pending"`);
    await queryRunner.query(`CREATE INDEX "outbox_pending" ON "applicants"."outbox" ("next_attempt_at", "id") WHERE sent_at IS NULL`);
  }
}
