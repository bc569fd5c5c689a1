import { Module } from '@nestjs/common';
import { DirectoryController } from './directory.controller';
import { DirectoryHandler } from './directory.handler';
import { DirectoryRepository } from './directory.repository';
import { DirectoryService } from './directory.service';

@Module({
  controllers: [DirectoryController, DirectoryHandler],
  providers: [DirectoryService, DirectoryRepository],
})
export class DirectoryModule {}
