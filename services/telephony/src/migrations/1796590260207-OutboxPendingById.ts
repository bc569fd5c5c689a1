import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxPendingById1796590260207 implements MigrationInterface {
  name = 'OutboxPendingById1796590260207';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "telephony"."outbox_pending"`);
    await queryRunner.query(`CREATE INDEX "outbox_pending" ON "telephony"."outbox"  ("id") WHERE sent_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "telephony"."outbox_pending"`);
    await queryRunner.query(`CREATE INDEX "outbox_pending" ON "telephony"."outbox" ("next_attempt_at", "id") WHERE sent_at IS NULL`);
  }
}
