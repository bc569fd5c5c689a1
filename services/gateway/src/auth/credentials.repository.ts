import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { Db } from '@pace/database';

/**
 * Notified (by triggers, as the change commits) whenever an API token, a service principal, a
 * session, a user's role or status, or a team membership changes in a way that can end or alter
 * what a credential grants (migrations CredentialNotify, SessionNotify).
 */
export const CREDENTIALS_CHANNEL = 'pace_gateway_credentials';

/** A dedicated connection LISTENing on CREDENTIALS_CHANNEL. */
export interface CredentialListener {
  close(): Promise<void>;
}

@Injectable()
export class CredentialsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Opens a connection of its own that LISTENs for credential changes: `onChange` gets each
   * notification's payload, `onLost` is called once if the connection fails or ends. Throws when it
   * cannot listen (no URL, server down).
   */
  async listen(onChange: (payload: string) => void, onLost: (error?: Error) => void): Promise<CredentialListener> {
    const url = (this.db.dataSource.options as { url?: string }).url;
    if (!url) throw new Error('the data source has no URL to open a LISTEN connection with');
    const client = new Client({ connectionString: url, application_name: 'pace-gateway-credentials' });
    let closing = false;
    let lost = false;
    const lose = (error?: Error) => {
      if (closing || lost) return;
      lost = true;
      onLost(error);
      client.end().catch(() => undefined);
    };
    client.on('notification', (message) => onChange(message.payload ?? ''));
    client.on('error', (error) => lose(error));
    client.on('end', () => lose());
    try {
      await client.connect();
      await client.query(`LISTEN ${CREDENTIALS_CHANNEL}`);
    } catch (error) {
      closing = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    return {
      close: async () => {
        closing = true;
        // Bounded: a shutdown must not wait on a server that does not answer Terminate.
        const ended = await Promise.race([client.end().then(() => true, () => true), new Promise<boolean>((resolve) => setTimeout(resolve, 1_000, false).unref())]);
        if (!ended) (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      },
    };
  }

  /** Sends a notification on the channel from a pool connection (to prove delivery between connections). */
  async notify(payload: string): Promise<void> {
    await this.db.manager.query(`SELECT pg_notify($1, $2)`, [CREDENTIALS_CHANNEL, payload]);
  }
}
