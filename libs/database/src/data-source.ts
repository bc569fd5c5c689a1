import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from './naming';

/** What a service declares about its own schema. One owner per schema. */
export interface ServiceDatabase {
  /** Service name; also the PostgreSQL schema it owns. */
  service: string;
  /** Logical database: `pace` for pace-web services, `pace_ai` for pace-ai. */
  database: 'pace' | 'pace_ai';
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  /** Glob(s) of this service's migrations (`*.{js,ts}` so jest and the build both find them). */
  migrations: string[];
}

export function dataSourceOptions(db: ServiceDatabase, url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema: db.service,
    entities: db.entities,
    migrations: db.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    namingStrategy: new SnakeNamingStrategy(),
    applicationName: `pace-${db.service}`,
    extra: { max: poolSize, connectionTimeoutMillis: 10_000 },
  };
}

export function createDataSource(db: ServiceDatabase, url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(db, url, poolSize));
}
