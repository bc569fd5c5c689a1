import type { DataSource } from 'typeorm';
import { Db, createDataSource } from '@pace/database';
import { type TestDatabase, createTestDatabase } from '@pace/testing';
import { applicantsService } from '../../../services/applicants/src/service';
import { telephonyService } from '../../../services/telephony/src/service';

// Db.transaction's scope, on a real database: what repositories inside a command see.

let db: TestDatabase;
let applicantsDs: DataSource;
let telephonyDs: DataSource;
let applicants: Db;
let telephony: Db;

const count = async (d: Db, table: string): Promise<number> => ((await d.manager.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n;
const insertInbox = (d: Db, id: string) => d.manager.query(`INSERT INTO telephony.inbox (event_id, type, aggregate_id) VALUES ($1, 't.e.v1', 'a')`, [id]);
const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

beforeAll(async () => {
  db = await createTestDatabase();
  applicantsDs = createDataSource(applicantsService.db, db.url, 3);
  telephonyDs = createDataSource(telephonyService.db, db.url, 3);
  await applicantsDs.initialize();
  await telephonyDs.initialize();
  applicants = new Db(applicantsDs);
  telephony = new Db(telephonyDs);
});

afterAll(async () => {
  await applicantsDs.destroy();
  await telephonyDs.destroy();
  await db.drop();
});

describe('Db.transaction', () => {
  it('joins an enclosing transaction of the same Db: a rollback undoes the inner writes too', async () => {
    await expect(
      telephony.transaction(async (outer) => {
        await insertInbox(telephony, uuid(1));
        await telephony.transaction(async (inner) => {
          expect(inner).toBe(outer);
          await insertInbox(telephony, uuid(2));
        });
        expect(await count(telephony, 'telephony.inbox')).toBe(2);
        throw new Error('the command fails');
      }),
    ).rejects.toThrow('the command fails');
    expect(await count(telephony, 'telephony.inbox')).toBe(0);
  });

  it('keeps two Dbs apart: each has its own transaction, and the outer one is still seen inside the inner', async () => {
    await applicants.transaction(async (applicantsTx) => {
      expect(applicants.inTransaction).toBe(true);
      expect(telephony.inTransaction).toBe(false);
      await telephony.transaction(async (telephonyTx) => {
        expect(telephonyTx).not.toBe(applicantsTx);
        expect(telephony.manager).toBe(telephonyTx);
        expect(applicants.manager).toBe(applicantsTx);
        await insertInbox(telephony, uuid(3));
      });
      // Committed on its own, whatever the enclosing transaction of the other Db does next.
      expect(telephony.inTransaction).toBe(false);
      expect(await count(telephony, 'telephony.inbox')).toBe(1);
    });
    expect(applicants.inTransaction).toBe(false);
  });

  it('runs after-commit callbacks once committed, never after a rollback, and at once outside a transaction', async () => {
    const ran: string[] = [];
    await telephony.transaction(async () => {
      telephony.onCommit(() => ran.push('committed'));
      expect(ran).toEqual([]);
    });
    await telephony
      .transaction(async () => {
        telephony.onCommit(() => ran.push('rolled back'));
        throw new Error('no');
      })
      .catch(() => undefined);
    telephony.onCommit(() => ran.push('outside'));
    expect(ran).toEqual(['committed', 'outside']);
  });
});
