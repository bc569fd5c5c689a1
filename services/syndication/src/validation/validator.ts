import { Inject, Injectable } from '@nestjs/common';
import { SYNDICATION_CONFIG, type SyndicationConfig } from '../config';
import type { Portal, ProjectedListing } from '../projection/listing.model';
import { type Problem, validateFor } from './rules';

/** The portal rules (`validateFor`) with this deployment's settings. */
@Injectable()
export class PortalValidator {
  private readonly rules: { httpsMedia: boolean };

  constructor(@Inject(SYNDICATION_CONFIG) config: SyndicationConfig) {
    this.rules = { httpsMedia: config.SYNDICATION_REQUIRE_HTTPS_MEDIA };
  }

  check(portal: Portal, listing: ProjectedListing): Problem[] {
    return validateFor(portal, listing, this.rules);
  }
}
