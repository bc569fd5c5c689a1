import { Injectable } from '@nestjs/common';
import { Db } from '@pace/database';
import { ApplicantProjectionEntity, PhoneDirectoryEntity } from './directory.entity';

export interface DirectoryMatch {
  applicantId: string;
  displayName: string;
}

@Injectable()
export class DirectoryRepository {
  constructor(private readonly db: Db) {}

  /** The projected version of an applicant, locked until the transaction ends. */
  async lockedVersion(applicantId: string): Promise<number | undefined> {
    const row = await this.db.repository(ApplicantProjectionEntity).findOne({ where: { applicantId }, lock: { mode: 'pessimistic_write' } });
    return row ? Number(row.version) : undefined;
  }

  async replace(applicantId: string, displayName: string, version: number, phones: string[]): Promise<void> {
    await this.db.repository(ApplicantProjectionEntity).upsert({ applicantId, displayName, version: String(version), projectedAt: new Date() }, ['applicantId']);
    await this.db.repository(PhoneDirectoryEntity).delete({ applicantId });
    if (phones.length) await this.db.repository(PhoneDirectoryEntity).insert(phones.map((phone) => ({ phone, applicantId })));
  }

  async findByPhone(phone: string): Promise<DirectoryMatch[]> {
    return this.db.manager
      .createQueryBuilder(PhoneDirectoryEntity, 'd')
      .innerJoin(ApplicantProjectionEntity, 'a', 'a.applicant_id = d.applicant_id')
      .select(['d.applicant_id AS "applicantId"', 'a.display_name AS "displayName"'])
      .where('d.phone = :phone', { phone })
      .orderBy('a.projected_at', 'DESC')
      .limit(20)
      .getRawMany<DirectoryMatch>();
  }
}
