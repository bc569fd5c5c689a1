import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApplicantOwnerAndTeam1795874356253 implements MigrationInterface {
  name = 'ApplicantOwnerAndTeam1795874356253';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "owner_id" uuid`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "team_id" uuid`);
    await queryRunner.query(`CREATE INDEX "applicant_team_created_at_id" ON "applicants"."applicant"  ("team_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "applicant_owner_created_at_id" ON "applicants"."applicant"  ("owner_id", "created_at", "id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "applicants"."applicant_owner_created_at_id"`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_team_created_at_id"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "team_id"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "owner_id"`);
  }
}
