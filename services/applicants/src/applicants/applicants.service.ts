import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db, type Page, decodeCursor, toPage } from '@pace/database';
import { NotFoundError } from '@pace/http';
import type { ApplicantEntity } from './applicant.entity';
import type { ApplicantView, CreateApplicant } from './applicant.dto';
import { ApplicantsRepository } from './applicants.repository';

function view(a: ApplicantEntity): ApplicantView {
  return {
    id: a.id,
    firstName: a.firstName,
    lastName: a.lastName,
    phones: a.phones,
    emails: a.emails,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    version: a.version,
  };
}

@Injectable()
export class ApplicantsService {
  constructor(
    private readonly db: Db,
    private readonly applicants: ApplicantsRepository,
  ) {}

  async create(input: CreateApplicant): Promise<ApplicantView> {
    return this.db.transaction(async () => view(await this.applicants.insert({ id: uuidv7(), ...input })));
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
