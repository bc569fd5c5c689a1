import { Module } from '@nestjs/common';
import { ApplicantsGrpc } from './applicants.grpc';
import { ApplicantsRepository } from './applicants.repository';
import { ApplicantsService } from './applicants.service';

@Module({
  controllers: [ApplicantsGrpc],
  providers: [ApplicantsService, ApplicantsRepository],
})
export class ApplicantsModule {}
