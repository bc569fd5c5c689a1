import 'reflect-metadata';
import { runStandalone } from '@pace/platform';
import { applicantsService } from './service';

void runStandalone(applicantsService);
