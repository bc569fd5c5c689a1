import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SalesforceImport1796173043214 implements MigrationInterface {
  name = 'SalesforceImport1796173043214';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "listings"."import_batch" ("id" uuid NOT NULL, "entity" text NOT NULL, "file" text NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, "summary" jsonb, "rolled_back_at" TIMESTAMP WITH TIME ZONE, "rolled_back_count" integer, CONSTRAINT "PK_f408daa3bbc77ffc37eca041312" PRIMARY KEY ("id"))`);
    await queryRunner.query(`ALTER TABLE "listings"."listing" ADD "salesforce_id" text`);
    await queryRunner.query(`ALTER TABLE "listings"."listing" ADD "import_batch_id" uuid`);
    await queryRunner.query(`ALTER TABLE "listings"."listing" ADD "import_hash" text`);
    await queryRunner.query(`CREATE UNIQUE INDEX "listing_salesforce_id" ON "listings"."listing"  ("salesforce_id") `);
    await queryRunner.query(`CREATE INDEX "listing_import_batch" ON "listings"."listing"  ("import_batch_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "listings"."listing_import_batch"`);
    await queryRunner.query(`DROP INDEX "listings"."listing_salesforce_id"`);
    await queryRunner.query(`ALTER TABLE "listings"."listing" DROP COLUMN "import_hash"`);
    await queryRunner.query(`ALTER TABLE "listings"."listing" DROP COLUMN "import_batch_id"`);
    await queryRunner.query(`ALTER TABLE "listings"."listing" DROP COLUMN "salesforce_id"`);
    await queryRunner.query(`DROP TABLE "listings"."import_batch"`);
  }
}
