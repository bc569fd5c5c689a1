import { Module } from '@nestjs/common';
import { ListingsClient } from './listings.client';
import { ListingsController } from './listings.controller';

@Module({
  controllers: [ListingsController],
  providers: [ListingsClient],
  exports: [ListingsClient],
})
export class ListingsModule {}
