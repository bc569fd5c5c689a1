import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Any change that can end an API token's validity (revoked, expired, re-scoped, deleted, its
 * principal deactivated or renamed) notifies `pace_gateway_credentials` when it commits, so every
 * gateway replica drops its credential cache at once (see src/auth/credential-cache.ts). Statement-level
 * triggers limited to those columns: recording last use (`last_used_at`) does not fire them.
 */
export class CredentialNotify1796500000000 implements MigrationInterface {
  name = 'CredentialNotify1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION "gateway"."notify_credentials_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pace_gateway_credentials', TG_TABLE_NAME);
  RETURN NULL;
END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "api_token_credentials_changed" AFTER UPDATE OF "revoked_at", "expires_at", "scopes", "token_hash", "principal_id" OR DELETE OR TRUNCATE ON "gateway"."api_token" FOR EACH STATEMENT EXECUTE FUNCTION "gateway"."notify_credentials_changed"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "service_principal_credentials_changed" AFTER UPDATE OF "status", "name" OR DELETE OR TRUNCATE ON "gateway"."service_principal" FOR EACH STATEMENT EXECUTE FUNCTION "gateway"."notify_credentials_changed"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "service_principal_credentials_changed" ON "gateway"."service_principal"`);
    await queryRunner.query(`DROP TRIGGER "api_token_credentials_changed" ON "gateway"."api_token"`);
    await queryRunner.query(`DROP FUNCTION "gateway"."notify_credentials_changed"()`);
  }
}
