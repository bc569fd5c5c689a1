import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ANY_ROLE, Allow } from '@pace/auth';
import { ZodPipe } from '@pace/http';
import type { AssignApplicantRequest, AssignApplicantResponse, ClaimLeadRequest, ClaimLeadResponse, GetLeadRosterRequest, IntakeLeadRequest, IntakeLeadResponse, LeadRosterMessage, LeadRosterResponse, SetLeadRosterRequest } from '@pace/rpc';
import { applicantId, assignInput, leadInput, rosterBody, teamId } from '../applicants/applicant.dto';
import { message, optional } from '../applicants/applicants.grpc';
import { IntakeService, type RosterView } from './intake.service';

const SERVICE = 'ApplicantsService';
const leadPipe = new ZodPipe(leadInput);
const rosterPipe = new ZodPipe(rosterBody);
const idPipe = new ZodPipe(applicantId);
const teamPipe = new ZodPipe(teamId);
const assignPipe = new ZodPipe(assignInput);

function rosterMessage(r: RosterView): LeadRosterMessage {
  return { teamId: r.teamId, sources: r.sources, agents: r.agents.map((a) => ({ ...a, lastAssignedAt: a.lastAssignedAt ?? '' })) };
}

/** Lead intake over gRPC: the gateway's lead endpoint (machine tokens with leads:write), claims and rosters. */
@Controller()
export class IntakeGrpc {
  constructor(private readonly intake: IntakeService) {}

  @GrpcMethod(SERVICE, 'IntakeLead')
  @Allow({ roles: ['admin'], scopes: ['leads:write'] })
  async intakeLead(request: IntakeLeadRequest): Promise<IntakeLeadResponse> {
    const lead = leadPipe.transform({
      source: request.source,
      portalLeadId: request.portalLeadId,
      channel: optional(request.channel),
      listingReference: optional(request.listingReference),
      listingId: optional(request.listingId),
      senderName: optional(request.senderName),
      phones: request.phones,
      emails: request.emails,
      message: optional(request.message),
    });
    const result = await this.intake.intake(lead);
    return { applicant: message(result.applicant), matched: result.matched, replayed: result.replayed };
  }

  @GrpcMethod(SERVICE, 'AssignApplicant')
  @Allow({ roles: ['manager', 'admin'] })
  async assignApplicant(request: AssignApplicantRequest): Promise<AssignApplicantResponse> {
    const input = assignPipe.transform({ id: request.id, version: request.version, ownerId: request.ownerId, teamId: optional(request.teamId) });
    return { applicant: message(await this.intake.assignManually(input.id, input.version, input.ownerId, input.teamId)) };
  }

  @GrpcMethod(SERVICE, 'ClaimLead')
  @Allow({ roles: ANY_ROLE })
  async claimLead(request: ClaimLeadRequest): Promise<ClaimLeadResponse> {
    return { applicant: message(await this.intake.claim(idPipe.transform(request.applicantId))) };
  }

  @GrpcMethod(SERVICE, 'SetLeadRoster')
  @Allow({ roles: ['manager', 'admin'] })
  async setLeadRoster(request: SetLeadRosterRequest): Promise<LeadRosterResponse> {
    const input = rosterPipe.transform({ teamId: request.teamId, agentIds: request.agentIds, sources: request.sources });
    return { roster: rosterMessage(await this.intake.setRoster(input)) };
  }

  @GrpcMethod(SERVICE, 'GetLeadRoster')
  @Allow({ roles: ['manager', 'admin'] })
  async getLeadRoster(request: GetLeadRosterRequest): Promise<LeadRosterResponse> {
    return { roster: rosterMessage(await this.intake.roster(teamPipe.transform(request.teamId))) };
  }
}
