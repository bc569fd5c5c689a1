import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type ServiceDatabase, dataSourceOptions } from './data-source';
import { Db } from './transaction';

export interface DatabaseModuleOptions {
  db: ServiceDatabase;
  url: string;
  poolSize?: number;
}

@Global()
@Module({})
export class DatabaseModule {
  static forService({ db, url, poolSize }: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(db, url, poolSize), retryAttempts: 3, retryDelay: 1000 })],
      providers: [Db],
      exports: [Db, TypeOrmModule],
    };
  }
}
