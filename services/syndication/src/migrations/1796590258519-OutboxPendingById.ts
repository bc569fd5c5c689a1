import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxPendingById1796590258519 implements MigrationInterface {
  name = 'OutboxPendingById1796590258519';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "syndication"."outbox_pending"`);
    await queryRunner.query(`CREATE INDEX "outbox_pending" ON "syndication"."outbox"  ("id") WHERE sent_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "syndication"."outbox_pending"`);
    await queryRunner.query(`CREATE INDEX "outbox_pending" ON "syndication"."outbox" ("next_attempt_at", "id") WHERE sent_at IS NULL`);
  }
}
