import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { ApplicantsClient } from './applicants.client';
import { ApplicantsController } from './applicants.controller';
import { LeadsController } from './leads.controller';
import { MatchesController } from './matches.controller';
import { SharesController } from './shares.controller';

@Module({
  imports: [IdentityModule],
  controllers: [ApplicantsController, LeadsController, MatchesController, SharesController],
  providers: [ApplicantsClient],
  exports: [ApplicantsClient],
})
export class ApplicantsModule {}
