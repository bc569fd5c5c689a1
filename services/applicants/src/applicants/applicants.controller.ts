import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { Page } from '@pace/database';
import { type PageQuery, ZodPipe, pageQuery } from '@pace/http';
import { type ApplicantView, type CreateApplicant, type UpdateApplicant, applicantId, createApplicantBody, updateApplicantBody } from './applicant.dto';
import { ApplicantsService } from './applicants.service';

@Controller('applicants')
export class ApplicantsController {
  constructor(private readonly applicants: ApplicantsService) {}

  @Post()
  @HttpCode(201)
  create(@Body(new ZodPipe(createApplicantBody)) body: CreateApplicant): Promise<ApplicantView> {
    return this.applicants.create(body);
  }

  @Patch(':id')
  update(@Param('id', new ZodPipe(applicantId)) id: string, @Body(new ZodPipe(updateApplicantBody)) body: UpdateApplicant): Promise<ApplicantView> {
    return this.applicants.update(id, body);
  }

  @Get(':id')
  get(@Param('id', new ZodPipe(applicantId)) id: string): Promise<ApplicantView> {
    return this.applicants.get(id);
  }

  @Get()
  list(@Query(new ZodPipe(pageQuery)) query: PageQuery): Promise<Page<ApplicantView>> {
    return this.applicants.list(query.limit, query.cursor);
  }
}
