import 'reflect-metadata';
import { runStandalone } from '@pace/platform';
import { gatewayService } from './service';

void runStandalone(gatewayService);
