import { Controller, Get, HttpCode, Post, Put, Res } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, type Caller, type UserCaller } from '@pace/auth';
import type { LeadRosterMessage } from '@pace/rpc';
import { Endpoint } from '../api/endpoint';
import { ZodBody, ZodParam } from '../api/params';
import { CurrentCaller, CurrentUser } from '../auth/request';
import { UsersService } from '../identity/users.service';
import { type LeadBody, type LeadResultView, type RosterBody, type RosterView, leadBody, leadResultView, rosterBody, rosterView, teamId } from './applicants.dto';
import { applicantView } from './applicants.mapping';
import { ApplicantsClient } from './applicants.client';

function rosterOf(r: LeadRosterMessage): RosterView {
  return { teamId: r.teamId, sources: r.sources as RosterView['sources'], agents: r.agents.map((a) => ({ agentId: a.agentId, active: a.active, lastAssignedAt: a.lastAssignedAt || null })) };
}

/**
 * Lead intake for Bayut and the website (machines with an API token holding `leads:write`), and
 * the rosters that decide who receives a team's leads. Property Finder leads do not come here:
 * syndication receives them and publishes `syndication.lead-received.v1`.
 */
@Controller('api/v1')
export class LeadsController {
  constructor(
    private readonly applicants: ApplicantsClient,
    private readonly users: UsersService,
  ) {}

  @Post('leads')
  @HttpCode(201)
  @Allow({ roles: ['admin'], scopes: ['leads:write'] })
  @ApiResponse({ status: 200, description: 'Matched an existing applicant, or the same lead was posted before (`replayed`).', standardSchema: leadResultView })
  @Endpoint({ tag: 'leads', summary: 'Post a portal or website lead', status: 201, response: leadResultView, errors: [400, 401, 403, 502, 504] })
  async intake(@CurrentCaller() caller: Caller, @ZodBody(leadBody) body: LeadBody, @Res({ passthrough: true }) res: Response): Promise<LeadResultView> {
    const result = await this.applicants.call(
      'intakeLead',
      {
        source: body.source,
        portalLeadId: body.portalLeadId,
        channel: body.channel ?? '',
        listingReference: body.listingReference ?? '',
        listingId: body.listingId ?? '',
        senderName: body.senderName ?? '',
        phones: body.phones,
        emails: body.emails,
        message: body.message ?? '',
      },
      caller,
    );
    if (result.matched || result.replayed) res.status(200);
    return { applicant: applicantView(result.applicant), matched: result.matched, replayed: result.replayed };
  }

  @Get('lead-rosters/:teamId')
  @Allow({ roles: ['manager', 'admin'] })
  @Endpoint({ tag: 'leads', summary: "A team's lead roster", response: rosterView, errors: [400, 401, 403, 502, 504] })
  async roster(@CurrentUser() caller: UserCaller, @ZodParam('teamId', teamId) team: string): Promise<RosterView> {
    return rosterOf((await this.applicants.call('getLeadRoster', { teamId: team }, caller)).roster);
  }

  @Put('lead-rosters/:teamId')
  @Allow({ roles: ['manager', 'admin'] })
  @Endpoint({ tag: 'leads', summary: "Set a team's lead roster", description: 'Managers of the team and admins. Each agent must be an active member of the team.', response: rosterView, errors: [400, 401, 403, 502, 504] })
  async setRoster(@CurrentUser() caller: UserCaller, @ZodParam('teamId', teamId) team: string, @ZodBody(rosterBody) body: RosterBody): Promise<RosterView> {
    // The gateway owns users and teams: membership is checked here, the roster is kept by applicants.
    for (const agentId of body.agentIds) await this.users.assertAssignable(agentId, team);
    const res = await this.applicants.call('setLeadRoster', { teamId: team, agentIds: body.agentIds, sources: body.sources }, caller);
    return rosterOf(res.roster);
  }
}
