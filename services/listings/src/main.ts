import 'reflect-metadata';
import { runStandalone } from '@pace/platform';
import { listingsService } from './service';

void runStandalone(listingsService);
