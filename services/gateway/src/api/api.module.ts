import { Global, Module } from '@nestjs/common';
import { ApiDocument } from './openapi';
import { SchemaController } from './schema.controller';

@Global()
@Module({
  controllers: [SchemaController],
  providers: [ApiDocument],
  exports: [ApiDocument],
})
export class ApiModule {}
