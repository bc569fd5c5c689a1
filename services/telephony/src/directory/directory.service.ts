import { Injectable, Logger } from '@nestjs/common';
import type { ApplicantSnapshot } from '@pace/contracts';
import { ValidationError, toE164 } from '@pace/http';
import { type DirectoryMatch, DirectoryRepository } from './directory.repository';

@Injectable()
export class DirectoryService {
  private readonly logger = new Logger('directory');

  constructor(private readonly directory: DirectoryRepository) {}

  /**
   * Brings the directory in line with an applicant snapshot. Runs inside the event's inbox
   * transaction. Events may arrive out of order: a snapshot older than what is held is ignored.
   */
  async project(applicant: ApplicantSnapshot): Promise<'applied' | 'stale'> {
    const version = Number(applicant.version);
    const held = await this.directory.lockedVersion(applicant.id);
    if (held !== undefined && held >= version) {
      this.logger.debug(`ignoring applicant ${applicant.id} v${version}: v${held} already projected`);
      return 'stale';
    }
    const phones = [...new Set(applicant.phones.map((p) => toE164(p)).filter((p): p is string => Boolean(p)))];
    await this.directory.replace(applicant.id, `${applicant.firstName} ${applicant.lastName}`.trim(), version, phones);
    return 'applied';
  }

  /**
   * Drops the applicant's numbers. The projection row stays as a tombstone at the deletion's
   * version, so a created/updated event delivered late cannot bring the applicant back.
   */
  async remove(applicantId: string, version: number): Promise<'applied' | 'stale'> {
    const held = await this.directory.lockedVersion(applicantId);
    if (held !== undefined && held >= version) return 'stale';
    await this.directory.replace(applicantId, '', version, []);
    this.logger.log(`applicant ${applicantId} deleted: removed from the phone directory`);
    return 'applied';
  }

  /** Who a phone number belongs to, however it is written. */
  async lookup(rawPhone: string): Promise<{ phone: string; matches: DirectoryMatch[] }> {
    const phone = toE164(rawPhone);
    if (!phone) throw new ValidationError([{ field: 'phone', message: `"${rawPhone}" is not a valid phone number` }]);
    return { phone, matches: await this.directory.findByPhone(phone) };
  }
}
