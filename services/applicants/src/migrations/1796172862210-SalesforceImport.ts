import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SalesforceImport1796172862210 implements MigrationInterface {
  name = 'SalesforceImport1796172862210';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "applicants"."import_batch" ("id" uuid NOT NULL, "entity" text NOT NULL, "file" text NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, "summary" jsonb, "rolled_back_at" TIMESTAMP WITH TIME ZONE, "rolled_back_count" integer, CONSTRAINT "PK_f408daa3bbc77ffc37eca041312" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "applicants"."applicant_salesforce_link" ("salesforce_id" text NOT NULL, "applicant_id" uuid NOT NULL, "import_batch_id" uuid NOT NULL, "import_hash" text NOT NULL, "matched_on" text NOT NULL, "linked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ebf05ee7c3cc3268d88bcdb6daa" PRIMARY KEY ("salesforce_id"))`);
    await queryRunner.query(`CREATE INDEX "applicant_salesforce_link_batch" ON "applicants"."applicant_salesforce_link"  ("import_batch_id") `);
    await queryRunner.query(`CREATE INDEX "applicant_salesforce_link_applicant" ON "applicants"."applicant_salesforce_link"  ("applicant_id") `);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "salesforce_id" text`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "import_batch_id" uuid`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "import_hash" text`);
    await queryRunner.query(`CREATE UNIQUE INDEX "applicant_salesforce_id" ON "applicants"."applicant"  ("salesforce_id") `);
    await queryRunner.query(`CREATE INDEX "applicant_import_batch" ON "applicants"."applicant"  ("import_batch_id") `);
    // Written by hand: the duplicate rule reads these on every create, lead and imported row. With
    // GIN's pending list (fastupdate) each read scans every recent insert, so after a burst of
    // writes (an import, a lead storm) a lookup took 0.7 s instead of 5 ms; one or two entries per
    // row make the direct index update cheap.
    await queryRunner.query(`ALTER INDEX "applicants"."applicant_phones" SET (fastupdate = off)`);
    await queryRunner.query(`ALTER INDEX "applicants"."applicant_emails" SET (fastupdate = off)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER INDEX "applicants"."applicant_emails" RESET (fastupdate)`);
    await queryRunner.query(`ALTER INDEX "applicants"."applicant_phones" RESET (fastupdate)`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_import_batch"`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_salesforce_id"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "import_hash"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "import_batch_id"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "salesforce_id"`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_salesforce_link_applicant"`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_salesforce_link_batch"`);
    await queryRunner.query(`DROP TABLE "applicants"."applicant_salesforce_link"`);
    await queryRunner.query(`DROP TABLE "applicants"."import_batch"`);
  }
}
