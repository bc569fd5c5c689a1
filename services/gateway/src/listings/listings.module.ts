import { Module } from '@nestjs/common';
import { ListingsClient } from './listings.client';
import { ListingsController } from './listings.controller';

@Module({
  controllers: [ListingsController],
  providers: [ListingsClient],
})
export class ListingsModule {}
