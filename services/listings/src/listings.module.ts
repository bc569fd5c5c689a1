import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigError } from '@pace/config';
import { AuditController } from './audit/audit.controller';
import { AuditRepository } from './audit/audit.repository';
import { CALLER_GUARD_OPTIONS, SignedCallerGuard } from '@pace/auth';
import { LISTINGS_AUDIENCE } from './common/caller';
import { LISTINGS_CONFIG, type ListingsConfig } from './config';
import { DemoData } from './demo/demo-data';
import { ExpiryController } from './expiry/expiry.controller';
import { NoticesRepository } from './expiry/notices.repository';
import { PermitSweep } from './expiry/permit-sweep';
import { LifecycleService } from './lifecycle/lifecycle.service';
import { ListingEvents } from './listings/listing.events';
import { ListingReader } from './listings/listing.reader';
import { ListingsController } from './listings/listings.controller';
import { ListingsRepository } from './listings/listings.repository';
import { ListingsService } from './listings/listings.service';
import { GcsStorageAdapter } from './media/gcs-storage.adapter';
import { LocalStorageAdapter } from './media/local-storage.adapter';
import { MediaController } from './media/media.controller';
import { rawBody } from '@pace/http';
import { MAX_MEDIA_BYTES } from './media/media.dto';
import { MediaRepository } from './media/media.repository';
import { MediaService } from './media/media.service';
import { StoragePort } from './media/storage.port';
import { PublicationsHandler } from './portals/publications.handler';
import { PublicationsRepository } from './portals/publications.repository';
import { PublicationStatusService } from './portals/publications.service';
import { SearchService } from './search/search.service';
import { SyncController } from './sync/sync.controller';
import { SyncRepository } from './sync/sync.repository';
import { SyncService } from './sync/sync.service';

function storageFor(config: ListingsConfig): StoragePort {
  if (config.LISTINGS_MEDIA_STORE === 'gcs') {
    if (!config.LISTINGS_MEDIA_BUCKET) throw new ConfigError('listings', ['LISTINGS_MEDIA_BUCKET is missing (LISTINGS_MEDIA_STORE=gcs)']);
    return new GcsStorageAdapter(config.LISTINGS_MEDIA_BUCKET, config.LISTINGS_MEDIA_PUBLIC_URL, {
      apiEndpoint: config.LISTINGS_GCS_ENDPOINT,
      projectId: config.GOOGLE_CLOUD_PROJECT,
    });
  }
  return new LocalStorageAdapter(config.LISTINGS_MEDIA_DIR, config.LISTINGS_MEDIA_PUBLIC_URL);
}

@Module({})
export class ListingsModule implements NestModule {
  static register(config: ListingsConfig): DynamicModule {
    return {
      module: ListingsModule,
      // Search is the list route (GET /listings), so it lives on the listings controller.
      controllers: [ListingsController, MediaController, AuditController, ExpiryController, PublicationsHandler, SyncController],
      providers: [
        { provide: LISTINGS_CONFIG, useValue: config },
        { provide: CALLER_GUARD_OPTIONS, useValue: { secret: config.CALLER_SIGNING_SECRET, audience: LISTINGS_AUDIENCE } },
        // Every route of the app (health and metrics are @Public) passes the caller check.
        { provide: APP_GUARD, useClass: SignedCallerGuard },
        { provide: StoragePort, useFactory: () => storageFor(config) },
        ListingsRepository,
        MediaRepository,
        AuditRepository,
        NoticesRepository,
        ListingReader,
        ListingEvents,
        ListingsService,
        LifecycleService,
        MediaService,
        SearchService,
        PermitSweep,
        PublicationsRepository,
        PublicationStatusService,
        DemoData,
        SyncRepository,
        SyncService,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Uploads arrive as the raw file body; JSON routes are untouched.
    consumer
      .apply(
        rawBody({
          limit: MAX_MEDIA_BYTES,
          tooLarge: `Files may be at most ${MAX_MEDIA_BYTES} bytes.`,
          // The JSON parser leaves non-JSON bodies alone: images and PDFs are read here.
          when: (req) => /^(image\/|application\/pdf)/i.test(req.headers['content-type'] ?? ''),
        }),
      )
      .forRoutes({ path: 'listings/:id/media', method: RequestMethod.POST });
  }
}
