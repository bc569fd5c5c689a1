import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { type ApplicantSnapshot, ApplicantCreatedSchema, ApplicantSnapshotSchema, ApplicantUpdatedSchema } from '@pace/contracts';
import { requireCaller } from '@pace/auth';
import { Db, type Page, decodeCursor, toPage } from '@pace/database';
import { Outbox } from '@pace/events';
import { NotFoundError, VersionConflictError } from '@pace/http';
import type { ApplicantEntity } from './applicant.entity';
import type { ApplicantView, CreateApplicant, UpdateApplicant } from './applicant.dto';
import { ApplicantsRepository } from './applicants.repository';
import { assignOwnership } from './ownership';

function view(a: ApplicantEntity): ApplicantView {
  return {
    id: a.id,
    firstName: a.firstName,
    lastName: a.lastName,
    phones: a.phones,
    emails: a.emails,
    ownerId: a.ownerId,
    teamId: a.teamId,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    version: a.version,
  };
}

/** The state other domains keep in their projections (event-carried state transfer). */
function snapshot(a: ApplicantEntity): ApplicantSnapshot {
  return create(ApplicantSnapshotSchema, {
    id: a.id,
    firstName: a.firstName,
    lastName: a.lastName,
    phones: a.phones,
    emails: a.emails,
    version: BigInt(a.version),
    createdAt: timestampFromDate(a.createdAt),
    updatedAt: timestampFromDate(a.updatedAt),
  });
}

@Injectable()
export class ApplicantsService {
  constructor(
    private readonly db: Db,
    private readonly applicants: ApplicantsRepository,
    private readonly outbox: Outbox,
  ) {}

  /** Creates the applicant and its `applicant-created` event in one transaction. */
  async create(input: CreateApplicant): Promise<ApplicantView> {
    const ownership = assignOwnership(requireCaller(), input);
    return this.db.transaction(async () => {
      const applicant = await this.applicants.insert({ id: uuidv7(), ...input, ...ownership });
      await this.outbox.publish({
        schema: ApplicantCreatedSchema,
        payload: create(ApplicantCreatedSchema, { applicant: snapshot(applicant) }),
        aggregateId: applicant.id,
        aggregateVersion: applicant.version,
      });
      return view(applicant);
    });
  }

  /** Applies a partial change if the client edited the current version; emits `applicant-updated`. */
  async update(id: string, changes: UpdateApplicant): Promise<ApplicantView> {
    return this.db.transaction(async () => {
      const current = await this.applicants.findForUpdate(id);
      if (!current) throw new NotFoundError('Applicant', id);
      if (current.version !== changes.version) throw new VersionConflictError('Applicant', id, changes.version, current.version);
      const { version: _version, ...fields } = changes;
      const applicant = await this.applicants.save(Object.assign(current, fields));
      await this.outbox.publish({
        schema: ApplicantUpdatedSchema,
        payload: create(ApplicantUpdatedSchema, { applicant: snapshot(applicant) }),
        aggregateId: applicant.id,
        aggregateVersion: applicant.version,
      });
      return view(applicant);
    });
  }

  async get(id: string): Promise<ApplicantView> {
    const found = await this.applicants.findById(id);
    if (!found) throw new NotFoundError('Applicant', id);
    return view(found);
  }

  async list(limit: number, cursor?: string): Promise<Page<ApplicantView>> {
    const rows = await this.applicants.listNewestFirst(limit, cursor ? decodeCursor(cursor) : undefined);
    return toPage(rows, limit, (a) => ({ after: a.createdAt.toISOString(), id: a.id }), view);
  }
}
