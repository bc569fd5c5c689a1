import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxPendingById1796590256750 implements MigrationInterface {
  name = 'OutboxPendingById1796590256750';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "listings"."outbox_pending"`);
    await queryRunner.query(`CREATE INDEX "outbox_pending" ON "listings"."outbox"  ("id") WHERE sent_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "listings"."outbox_pending"`);
    await queryRunner.query(`CREATE INDEX "outbox_pending" ON "listings"."outbox" ("next_attempt_at", "id") WHERE sent_at IS NULL`);
  }
}
