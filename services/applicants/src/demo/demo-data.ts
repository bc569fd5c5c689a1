import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { runAsCaller } from '@pace/auth';
import { APPLICANTS_CONFIG, type ApplicantsConfig } from '../config';
import { type CreateApplicant, createApplicantBody } from '../applicants/applicant.dto';
import { ApplicantsService } from '../applicants/applicants.service';

/** The people the demo applicants belong to: the same ids as the listings demo data. */
export const DEMO = {
  team: '01900000-0000-7000-8000-00000000a001',
  otherTeam: '01900000-0000-7000-8000-00000000a002',
  agent: '01900000-0000-7000-8000-000000000011',
  otherAgent: '01900000-0000-7000-8000-000000000012',
  admin: '01900000-0000-7000-8000-000000000031',
};

const APPLICANTS: unknown[] = [
  {
    firstName: 'Fatima',
    lastName: 'Al Mansoori',
    phones: ['050 100 2001'],
    emails: ['fatima.demo@example.ae'],
    ownerId: DEMO.agent,
    teamId: DEMO.team,
    source: 'propertyfinder',
    tags: ['investor'],
    preferredLanguage: 'ar',
    nationality: 'AE',
    whatsappOptIn: true,
    requirements: { intent: 'buy', propertyTypes: ['apartment'], bedroomsMin: 2, bedroomsMax: 3, budgetMinFils: 250_000_000, budgetMaxFils: 400_000_000, communities: ['Dubai Marina', 'JBR'] },
    note: 'Wants sea view, ready to move within three months.',
  },
  {
    firstName: 'James',
    lastName: 'Whitaker',
    phones: ['+44 7911 123456'],
    emails: ['james.demo@example.co.uk'],
    ownerId: DEMO.agent,
    teamId: DEMO.team,
    source: 'website',
    preferredLanguage: 'en',
    nationality: 'GB',
    emailOptIn: true,
    requirements: { intent: 'rent', propertyTypes: ['villa', 'townhouse'], bedroomsMin: 3, budgetMaxFils: 35_000_000, communities: ['Arabian Ranches'], furnishing: 'unfurnished', moveInDate: '2027-03-01' },
  },
  {
    firstName: 'محمد',
    lastName: 'الهاشمي',
    phones: ['055 200 3002'],
    ownerId: DEMO.otherAgent,
    teamId: DEMO.otherTeam,
    source: 'walk_in',
    preferredLanguage: 'ar',
    requirements: { intent: 'buy', propertyTypes: ['villa'], bedroomsMin: 4, budgetMinFils: 800_000_000, communities: ['Palm Jumeirah'] },
  },
  {
    firstName: 'Anna',
    lastName: 'Kowalska',
    phones: ['052 300 4003'],
    emails: ['anna.demo@example.pl'],
    ownerId: DEMO.otherAgent,
    teamId: DEMO.otherTeam,
    source: 'bayut',
    preferredLanguage: 'en',
    nationality: 'PL',
    requirements: { intent: 'rent', propertyTypes: ['apartment'], bedroomsMin: 1, bedroomsMax: 2, budgetMaxFils: 15_000_000, communities: ['Downtown Dubai', 'Business Bay'], furnishing: 'furnished' },
  },
];

/**
 * A few applicants for `npm start` (PACE_DEMO_DATA). Idempotent: a second run matches them by phone.
 * Fatima fits the demo Marina apartment and Anna the Downtown rental, so matching has something
 * to show once the demo listings' events arrive; James and محمد match nothing advertised.
 */
@Injectable()
export class DemoData implements OnApplicationBootstrap {
  private readonly logger = new Logger('demo-data');

  constructor(
    private readonly applicants: ApplicantsService,
    @Inject(APPLICANTS_CONFIG) private readonly config: ApplicantsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.PACE_DEMO_DATA) return;
    try {
      const added = await this.seed();
      if (added) this.logger.log(`added ${added} demo applicants`);
    } catch (error) {
      // Demo data is a convenience: a failure is logged, the service still starts.
      this.logger.error({ err: error }, 'seeding demo applicants failed');
    }
  }

  async seed(): Promise<number> {
    let added = 0;
    await runAsCaller({ kind: 'user', id: DEMO.admin, role: 'admin', teamIds: [] }, async () => {
      for (const demo of APPLICANTS) {
        const result = await this.applicants.create(createApplicantBody.parse(demo) as CreateApplicant);
        if (!result.matched) added++;
      }
    });
    return added;
  }
}
