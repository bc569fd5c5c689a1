import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795874231401 implements MigrationInterface {
  name = 'Initial1795874231401';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "telephony"."outbox" ("id" uuid NOT NULL, "type" text NOT NULL, "topic" text NOT NULL, "aggregate_id" text NOT NULL, "aggregate_version" bigint NOT NULL, "data" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text, "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "outbox_sent" ON "telephony"."outbox"  ("sent_at") WHERE sent_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "outbox_pending" ON "telephony"."outbox"  ("next_attempt_at", "id") WHERE sent_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "telephony"."inbox" ("event_id" uuid NOT NULL, "type" text NOT NULL, "aggregate_id" text NOT NULL, "handled_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9b85eb4cab41c7c6023b1e579d0" PRIMARY KEY ("event_id"))`);
    await queryRunner.query(`CREATE INDEX "inbox_handled_at" ON "telephony"."inbox"  ("handled_at") `);
    await queryRunner.query(`CREATE TABLE "telephony"."applicant_projection" ("applicant_id" uuid NOT NULL, "display_name" text NOT NULL, "version" bigint NOT NULL, "projected_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2e3c99124643902d2b1a16c3792" PRIMARY KEY ("applicant_id"))`);
    await queryRunner.query(`CREATE TABLE "telephony"."phone_directory" ("phone" text NOT NULL, "applicant_id" uuid NOT NULL, CONSTRAINT "PK_be9df8487c0f7053d3f45219f0f" PRIMARY KEY ("phone", "applicant_id"))`);
    await queryRunner.query(`CREATE INDEX "phone_directory_applicant" ON "telephony"."phone_directory"  ("applicant_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "telephony"."phone_directory_applicant"`);
    await queryRunner.query(`DROP TABLE "telephony"."phone_directory"`);
    await queryRunner.query(`DROP TABLE "telephony"."applicant_projection"`);
    await queryRunner.query(`DROP INDEX "telephony"."inbox_handled_at"`);
    await queryRunner.query(`DROP TABLE "telephony"."inbox"`);
    await queryRunner.query(`DROP INDEX "telephony"."outbox_pending"`);
    await queryRunner.query(`DROP INDEX "telephony"."outbox_sent"`);
    await queryRunner.query(`DROP TABLE "telephony"."outbox"`);
  }
}
