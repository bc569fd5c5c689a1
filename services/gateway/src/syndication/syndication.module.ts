import { Module } from '@nestjs/common';
import { SyndicationClient } from '../common/backend.client';
import { SyndicationController } from './syndication.controller';

@Module({
  controllers: [SyndicationController],
  providers: [SyndicationClient],
})
export class SyndicationModule {}
