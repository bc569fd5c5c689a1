import { Module } from '@nestjs/common';
import { ListingsClient } from '../common/backend.client';
import { ListingsController } from './listings.controller';

@Module({
  controllers: [ListingsController],
  providers: [ListingsClient],
  exports: [ListingsClient],
})
export class ListingsModule {}
