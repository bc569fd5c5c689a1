import { type DynamicModule, Module } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository';
import { APPLICANTS_CONFIG, type ApplicantsConfig } from '../config';
import { DemoData } from '../demo/demo-data';
import { ClaimSweep } from '../intake/claim-sweep';
import { IntakeGrpc } from '../intake/intake.grpc';
import { IntakeHandler } from '../intake/intake.handler';
import { IntakeRepository } from '../intake/intake.repository';
import { IntakeService } from '../intake/intake.service';
import { ListingHandler } from '../matching/listing.handler';
import { MatchingEvents } from '../matching/matching.events';
import { MatchingGrpc } from '../matching/matching.grpc';
import { MatchingRepository } from '../matching/matching.repository';
import { MatchingService } from '../matching/matching.service';
import { SharesGrpc } from '../shares/shares.grpc';
import { SharesRepository } from '../shares/shares.repository';
import { SharesService } from '../shares/shares.service';
import { SyncGrpc } from '../sync/sync.grpc';
import { SyncRepository } from '../sync/sync.repository';
import { SyncService } from '../sync/sync.service';
import { TimelineRepository } from '../timeline/timeline.repository';
import { ApplicantEvents } from './applicant.events';
import { ApplicantsGrpc } from './applicants.grpc';
import { ApplicantsRepository } from './applicants.repository';
import { ApplicantsSearch } from './applicants.search';
import { ApplicantsService } from './applicants.service';
import { MergeService } from './merge.service';

@Module({})
export class ApplicantsModule {
  static register(config: ApplicantsConfig): DynamicModule {
    return {
      module: ApplicantsModule,
      controllers: [ApplicantsGrpc, IntakeGrpc, IntakeHandler, SyncGrpc, MatchingGrpc, ListingHandler, SharesGrpc],
      providers: [
        { provide: APPLICANTS_CONFIG, useValue: config },
        ApplicantsService,
        ApplicantsRepository,
        ApplicantsSearch,
        ApplicantEvents,
        MergeService,
        TimelineRepository,
        AuditRepository,
        IntakeRepository,
        IntakeService,
        ClaimSweep,
        DemoData,
        SyncService,
        SyncRepository,
        MatchingService,
        MatchingRepository,
        MatchingEvents,
        SharesService,
        SharesRepository,
      ],
    };
  }
}
