import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1796164384028 implements MigrationInterface {
  name = 'Initial1796164384028';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "syndication"."outbox" ("id" uuid NOT NULL, "type" text NOT NULL, "topic" text NOT NULL, "aggregate_id" text NOT NULL, "aggregate_version" bigint NOT NULL, "data" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text, "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "outbox_sent" ON "syndication"."outbox"  ("sent_at") WHERE sent_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "outbox_pending" ON "syndication"."outbox"  ("next_attempt_at", "id") WHERE sent_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "syndication"."inbox" ("event_id" uuid NOT NULL, "type" text NOT NULL, "aggregate_id" text NOT NULL, "handled_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9b85eb4cab41c7c6023b1e579d0" PRIMARY KEY ("event_id"))`);
    await queryRunner.query(`CREATE INDEX "inbox_handled_at" ON "syndication"."inbox"  ("handled_at") `);
    await queryRunner.query(`CREATE TABLE "syndication"."listing" ("id" uuid NOT NULL, "reference" text NOT NULL, "version" bigint NOT NULL, "status" text NOT NULL, "data" jsonb NOT NULL, "projected_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_381d45ebb8692362c156d6b87d7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "listing_reference" ON "syndication"."listing"  ("reference") `);
    await queryRunner.query(`CREATE TABLE "syndication"."publish_job" ("id" uuid NOT NULL, "listing_id" uuid NOT NULL, "portal" text NOT NULL, "run_at" TIMESTAMP WITH TIME ZONE NOT NULL, "generation" integer NOT NULL DEFAULT '1', "attempts" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_error" text, CONSTRAINT "publish_job_listing_portal" UNIQUE ("listing_id", "portal"), CONSTRAINT "PK_4c32cca14cf212e054237db5fe6" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "publish_job_due" ON "syndication"."publish_job"  ("run_at") `);
    await queryRunner.query(`CREATE TABLE "syndication"."webhook_event" ("id" text NOT NULL, "type" text NOT NULL, "body" jsonb NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0f56d2f40f5ec823acf8e8edad1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "syndication"."pf_location" ("search" text NOT NULL, "location_id" integer NOT NULL, "name" text NOT NULL, "fetched_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6ba6c2cc8035979513939c77218" PRIMARY KEY ("search"))`);
    await queryRunner.query(`CREATE TABLE "syndication"."publication" ("id" uuid NOT NULL, "listing_id" uuid NOT NULL, "portal" text NOT NULL, "desired_state" text NOT NULL, "state" text NOT NULL, "portal_listing_id" text, "message" text, "document" text, "problems" jsonb NOT NULL DEFAULT '[]', "open_actions" jsonb NOT NULL DEFAULT '[]', "attempts" integer NOT NULL DEFAULT '0', "last_attempt_at" TIMESTAMP WITH TIME ZONE, "live_since" TIMESTAMP WITH TIME ZONE, "synced_version" bigint NOT NULL DEFAULT '0', "version" integer NOT NULL DEFAULT '1', "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "publication_listing_portal" UNIQUE ("listing_id", "portal"), CONSTRAINT "PK_8aea8363d5213896a78d8365fab" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "publication_portal_listing" ON "syndication"."publication"  ("portal", "portal_listing_id") `);
    await queryRunner.query(`CREATE INDEX "publication_portal_state" ON "syndication"."publication"  ("portal", "state") `);
    await queryRunner.query(`CREATE TABLE "syndication"."portal_setting" ("portal" text NOT NULL, "enabled" boolean NOT NULL DEFAULT false, "credentials" jsonb, "options" jsonb NOT NULL DEFAULT '{}', "access_token_hash" text, "access_token_rotated_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_85bf4ec22cd0860d58456d13169" PRIMARY KEY ("portal"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "portal_setting_token" ON "syndication"."portal_setting"  ("access_token_hash") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "syndication"."portal_setting_token"`);
    await queryRunner.query(`DROP TABLE "syndication"."portal_setting"`);
    await queryRunner.query(`DROP INDEX "syndication"."publication_portal_state"`);
    await queryRunner.query(`DROP INDEX "syndication"."publication_portal_listing"`);
    await queryRunner.query(`DROP TABLE "syndication"."publication"`);
    await queryRunner.query(`DROP TABLE "syndication"."pf_location"`);
    await queryRunner.query(`DROP TABLE "syndication"."webhook_event"`);
    await queryRunner.query(`DROP INDEX "syndication"."publish_job_due"`);
    await queryRunner.query(`DROP TABLE "syndication"."publish_job"`);
    await queryRunner.query(`DROP INDEX "syndication"."listing_reference"`);
    await queryRunner.query(`DROP TABLE "syndication"."listing"`);
    await queryRunner.query(`DROP INDEX "syndication"."inbox_handled_at"`);
    await queryRunner.query(`DROP TABLE "syndication"."inbox"`);
    await queryRunner.query(`DROP INDEX "syndication"."outbox_pending"`);
    await queryRunner.query(`DROP INDEX "syndication"."outbox_sent"`);
    await queryRunner.query(`DROP TABLE "syndication"."outbox"`);
  }
}
