import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APPLICANTS_CONTRACT, type ApplicantsRpc, GrpcServiceClient } from '@pace/rpc';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

/** The applicants service over gRPC: signed caller context, request id, trace, deadline. */
@Injectable()
export class ApplicantsClient extends GrpcServiceClient<ApplicantsRpc> implements OnModuleDestroy {
  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    super({
      contract: APPLICANTS_CONTRACT,
      service: 'applicants',
      url: config.APPLICANTS_GRPC_URL,
      secret: config.CALLER_SIGNING_SECRET,
      deadlineMs: config.GRPC_DEADLINE_MS,
    });
  }

  onModuleDestroy(): void {
    this.close();
  }
}
