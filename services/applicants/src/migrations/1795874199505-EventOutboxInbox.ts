import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EventOutboxInbox1795874199505 implements MigrationInterface {
  name = 'EventOutboxInbox1795874199505';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "applicants"."outbox" ("id" uuid NOT NULL, "type" text NOT NULL, "topic" text NOT NULL, "aggregate_id" text NOT NULL, "aggregate_version" bigint NOT NULL, "data" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text, "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "outbox_sent" ON "applicants"."outbox"  ("sent_at") WHERE sent_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "outbox_pending" ON "applicants"."outbox"  ("next_attempt_at", "id") WHERE sent_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "applicants"."inbox" ("event_id" uuid NOT NULL, "type" text NOT NULL, "aggregate_id" text NOT NULL, "handled_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9b85eb4cab41c7c6023b1e579d0" PRIMARY KEY ("event_id"))`);
    await queryRunner.query(`CREATE INDEX "inbox_handled_at" ON "applicants"."inbox"  ("handled_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "applicants"."inbox_handled_at"`);
    await queryRunner.query(`DROP TABLE "applicants"."inbox"`);
    await queryRunner.query(`DROP INDEX "applicants"."outbox_pending"`);
    await queryRunner.query(`DROP INDEX "applicants"."outbox_sent"`);
    await queryRunner.query(`DROP TABLE "applicants"."outbox"`);
  }
}
