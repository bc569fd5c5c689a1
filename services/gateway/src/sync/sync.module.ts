import { Module } from '@nestjs/common';
import { ApplicantsModule } from '../applicants/applicants.module';
import { ListingsModule } from '../listings/listings.module';
import { SyncController } from './sync.controller';

@Module({
  imports: [ApplicantsModule, ListingsModule],
  controllers: [SyncController],
})
export class SyncModule {}
