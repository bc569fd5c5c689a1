import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { ApplicantsClient } from './applicants.client';
import { ApplicantsController } from './applicants.controller';

@Module({
  imports: [IdentityModule],
  controllers: [ApplicantsController],
  providers: [ApplicantsClient],
})
export class ApplicantsModule {}
