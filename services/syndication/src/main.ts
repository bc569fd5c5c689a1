import 'reflect-metadata';
import { runStandalone } from '@pace/platform';
import { syndicationService } from './service';

void runStandalone(syndicationService);
