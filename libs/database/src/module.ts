import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type ServiceDatabase, dataSourceOptions } from './data-source';
import { Db } from './transaction';

export interface DatabaseModuleOptions {
  db: ServiceDatabase;
  url: string;
  poolSize?: number;
}

/**
 * The service's data source, named after the service: several services can then share one
 * process (embedded mode) without their data sources colliding.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forService({ db, url, poolSize }: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(db, url, poolSize), name: db.service, retryAttempts: 3, retryDelay: 1000 })],
      providers: [{ provide: Db, useFactory: (dataSource: DataSource) => new Db(dataSource), inject: [getDataSourceToken(db.service)] }],
      exports: [Db],
    };
  }
}
