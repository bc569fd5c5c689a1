import 'reflect-metadata';
import { runStandalone } from '@pace/platform';
import { telephonyService } from './service';

void runStandalone(telephonyService);
