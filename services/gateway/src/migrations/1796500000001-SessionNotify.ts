import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions join the cached credentials (src/auth/credential-cache.ts): a change that can end a
 * session or alter what it grants — revoked, expiry, deleted; the user's role or status; any team
 * membership — notifies `pace_gateway_credentials` as it commits (the function comes from
 * CredentialNotify). Refreshing `last_seen_at` or `last_sign_in_at` does not fire them.
 */
export class SessionNotify1796500000001 implements MigrationInterface {
  name = 'SessionNotify1796500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TRIGGER "session_credentials_changed" AFTER UPDATE OF "revoked_at", "absolute_expires_at", "user_id", "token_hash", "csrf_token" OR DELETE OR TRUNCATE ON "gateway"."session" FOR EACH STATEMENT EXECUTE FUNCTION "gateway"."notify_credentials_changed"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "user_account_credentials_changed" AFTER UPDATE OF "role", "status" OR DELETE OR TRUNCATE ON "gateway"."user_account" FOR EACH STATEMENT EXECUTE FUNCTION "gateway"."notify_credentials_changed"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "team_membership_credentials_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "gateway"."team_membership" FOR EACH STATEMENT EXECUTE FUNCTION "gateway"."notify_credentials_changed"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "team_membership_credentials_changed" ON "gateway"."team_membership"`);
    await queryRunner.query(`DROP TRIGGER "user_account_credentials_changed" ON "gateway"."user_account"`);
    await queryRunner.query(`DROP TRIGGER "session_credentials_changed" ON "gateway"."session"`);
  }
}
