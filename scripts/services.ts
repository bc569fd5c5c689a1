import type { ServiceDefinition } from '@pace/platform';
import { applicantsService } from '../services/applicants/src/service';
import { gatewayService } from '../services/gateway/src/service';
import { listingsService } from '../services/listings/src/service';
import { syndicationService } from '../services/syndication/src/service';
import { telephonyService } from '../services/telephony/src/service';

/**
 * Every deployable service, in start order. The embedded runner, `start:stack`, the migration
 * tool and the test template all read this list, so a new service is added here once.
 */
export const services: ServiceDefinition[] = [applicantsService, listingsService, syndicationService, telephonyService, gatewayService] as ServiceDefinition[];

export function serviceByName(name: string): ServiceDefinition {
  const found = services.find((s) => s.name === name);
  if (!found) throw new Error(`unknown service "${name}"; known: ${services.map((s) => s.name).join(', ')}`);
  return found;
}
