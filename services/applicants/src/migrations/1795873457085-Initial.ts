import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795873457085 implements MigrationInterface {
  name = 'Initial1795873457085';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "applicants"."applicant" ("id" uuid NOT NULL, "first_name" text NOT NULL, "last_name" text NOT NULL, "phones" text array NOT NULL DEFAULT '{}', "emails" text array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_f4a6e907b8b17f293eb073fc5ea" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "applicant_created_at_id" ON "applicants"."applicant"  ("created_at", "id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "applicants"."applicant_created_at_id"`);
    await queryRunner.query(`DROP TABLE "applicants"."applicant"`);
  }
}
