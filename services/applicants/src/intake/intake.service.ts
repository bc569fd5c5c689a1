import { Inject, Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { ForbiddenError, requireCaller } from '@pace/auth';
import { Db } from '@pace/database';
import { NotFoundError, VersionConflictError } from '@pace/http';
import { AuditRepository } from '../audit/audit.repository';
import { APPLICANTS_CONFIG, type ApplicantsConfig } from '../config';
import { TimelineRepository } from '../timeline/timeline.repository';
import type { ApplicantEntity } from '../applicants/applicant.entity';
import { ApplicantEvents } from '../applicants/applicant.events';
import type { ApplicantView, LeadInput, RosterInput } from '../applicants/applicant.dto';
import { LeadNotYoursError } from '../applicants/applicant.model';
import { type Actor, actorOf, auditState, requirementColumns, view } from '../applicants/applicant.view';
import { NO_REQUIREMENTS } from '../applicants/applicant.dto';
import { ApplicantsRepository } from '../applicants/applicants.repository';
import { assignOwnership } from '../applicants/ownership';
import { IntakeRepository } from './intake.repository';
import type { LeadEntity } from './lead.entity';

export interface IntakeResult {
  applicant: ApplicantView;
  matched: boolean;
  /** The same source + portal lead id was taken in before; nothing changed. */
  replayed: boolean;
}

export interface RosterView {
  teamId: string;
  agents: { agentId: string; active: boolean; lastAssignedAt: string | null }[];
  sources: string[];
}

function splitName(name: string | undefined): { firstName: string; lastName: string } {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return { firstName: 'Unknown', lastName: '' };
  return { firstName: parts[0].slice(0, 100), lastName: parts.slice(1).join(' ').slice(0, 100) };
}

/**
 * Lead intake: a portal or website lead becomes an applicant (or is matched to one by phone or
 * email), goes to an agent of the receiving team in turn, and must be claimed within
 * LEADS_CLAIM_TIMEOUT_MS or it moves to the next agent (ClaimSweep). Every step is a timeline
 * entry, an audit row and an event, in the same transaction.
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger('lead-intake');

  constructor(
    private readonly db: Db,
    private readonly applicants: ApplicantsRepository,
    private readonly leads: IntakeRepository,
    private readonly timeline: TimelineRepository,
    private readonly audit: AuditRepository,
    private readonly events: ApplicantEvents,
    @Inject(APPLICANTS_CONFIG) private readonly config: ApplicantsConfig,
  ) {}

  /** Idempotent per (source, portal lead id): a retry or redelivery returns the first outcome. */
  async intake(lead: LeadInput, actor: Actor = actorOf(), now = new Date()): Promise<IntakeResult> {
    return this.db.transaction(async () => {
      await this.leads.lockLead(lead.source, lead.portalLeadId);
      const seen = await this.leads.findLead(lead.source, lead.portalLeadId);
      if (seen) {
        let applicant = await this.applicants.findForUpdateAsSystem(seen.applicantId);
        if (applicant?.mergedInto) applicant = await this.applicants.findForUpdateAsSystem(applicant.mergedInto);
        if (!applicant) throw new NotFoundError('Applicant', seen.applicantId);
        return { applicant: view(applicant), matched: seen.matched, replayed: true };
      }

      await this.applicants.lockContacts(lead.phones, lead.emails);
      const [match] = await this.applicants.findByContacts(lead.phones, lead.emails);
      const routeTeam = await this.leads.routeOf(lead.source);
      let applicant = match ? ((await this.applicants.findForUpdateAsSystem(match.id)) ?? match) : await this.createFromLead(lead, routeTeam, actor);
      const listing = lead.listingReference ?? lead.listingId;
      await this.timeline.add(applicant.id, actor, {
        kind: 'lead_received',
        summary: `Lead from ${lead.source}${listing ? ` about ${listing}` : ''}${match ? ' (matched an existing applicant)' : ''}`,
        data: { source: lead.source, portalLeadId: lead.portalLeadId, channel: lead.channel ?? null, listingId: lead.listingId ?? null, listingReference: lead.listingReference ?? null, message: lead.message ?? null },
      });
      await this.events.leadAccepted(applicant, lead, Boolean(match));

      const teamId = applicant.teamId ?? routeTeam;
      const row: LeadEntity = {
        source: lead.source,
        portalLeadId: lead.portalLeadId,
        applicantId: applicant.id,
        teamId,
        agentId: null,
        assignedAt: null,
        claimDeadline: null,
        claimedAt: null,
        reassignments: 0,
        matched: Boolean(match),
        channel: lead.channel ?? null,
        listingId: lead.listingId ?? null,
        listingReference: lead.listingReference ?? null,
        message: lead.message ?? null,
        receivedAt: now,
      };
      if (applicant.ownerId) {
        // The agent who already looks after this person gets the lead: the client knows them.
        applicant = await this.assign(applicant, row, applicant.ownerId, 'existing_owner', actor, now);
      } else if (teamId) {
        const agentId = await this.leads.takeNextAgent(teamId, null);
        if (agentId) applicant = await this.assign(applicant, row, agentId, 'round_robin', actor, now);
        else this.logger.warn(`lead ${lead.source}/${lead.portalLeadId}: team ${teamId} has no active agent in its lead roster; left unassigned (the sweep retries)`);
      } else {
        this.logger.warn(`lead ${lead.source}/${lead.portalLeadId}: no team takes ${lead.source} leads (set a lead roster with sources); left unassigned, visible to admins`);
      }
      await this.leads.insertLead(row);
      await this.audit.record(applicant.id, actor, 'lead', null, { source: lead.source, portalLeadId: lead.portalLeadId, matched: Boolean(match), agentId: row.agentId });
      return { applicant: view(applicant), matched: Boolean(match), replayed: false };
    });
  }

  /** The assigned agent takes the lead on: the claim timeout no longer applies. */
  async claim(applicantId: string, now = new Date()): Promise<ApplicantView> {
    const caller = requireCaller();
    if (caller.kind !== 'user') throw new ForbiddenError('claim-needs-a-person', 'Only the agent a lead was assigned to can claim it.');
    const actor = actorOf(caller);
    return this.db.transaction(async () => {
      const applicant = await this.applicants.findForUpdate(applicantId);
      if (!applicant) throw new NotFoundError('Applicant', applicantId);
      const pending = await this.leads.unclaimedFor(applicant.id, caller.id);
      if (!pending.length) throw new LeadNotYoursError(applicant.id);
      for (const lead of pending) {
        lead.claimedAt = now;
        await this.leads.saveLead(lead);
        await this.events.leadClaimed(applicant, lead, caller.id);
      }
      await this.timeline.add(applicant.id, actor, { kind: 'lead_claimed', summary: 'Lead claimed', data: { leads: pending.map((l) => `${l.source}/${l.portalLeadId}`) } });
      await this.audit.record(applicant.id, actor, 'claim', null, { leads: pending.map((l) => ({ source: l.source, portalLeadId: l.portalLeadId })) });
      return view(applicant);
    });
  }

  /**
   * A manager (within their teams) or an admin gives the applicant to an agent. Pending leads of
   * the applicant count as handled: the sweep no longer moves it.
   */
  async assignManually(id: string, version: number, ownerId: string, teamId: string | undefined, now = new Date()): Promise<ApplicantView> {
    const caller = requireCaller();
    if (caller.kind === 'user' && caller.role === 'agent') throw new ForbiddenError('assign-forbidden', 'Agents cannot reassign applicants; ask your manager.');
    const actor = actorOf(caller);
    return this.db.transaction(async () => {
      const current = await this.applicants.findForUpdate(id);
      if (!current || current.mergedInto) throw new NotFoundError('Applicant', id);
      if (current.version !== version) throw new VersionConflictError('Applicant', id, version, current.version);
      // The record stays in its team unless another is named.
      const ownership = assignOwnership(caller, { ownerId, teamId: teamId ?? current.teamId ?? undefined });
      const before = auditState(current);
      const previous = current.ownerId;
      current.ownerId = ownership.ownerId;
      current.teamId = ownership.teamId;
      const applicant = await this.applicants.save(current);
      for (const lead of await this.leads.unclaimedOf(applicant.id)) {
        lead.agentId = ownership.ownerId;
        lead.claimedAt = now;
        await this.leads.saveLead(lead);
      }
      await this.timeline.add(applicant.id, actor, {
        kind: 'assigned',
        summary: `Assigned to agent ${applicant.ownerId} by hand`,
        data: { agentId: applicant.ownerId, previousAgentId: previous, reason: 'manual', teamId: applicant.teamId },
      });
      await this.audit.record(applicant.id, actor, 'assign', before, auditState(applicant));
      await this.events.assigned(applicant, previous, 'manual', null);
      return view(applicant);
    });
  }

  /**
   * Passes leads not claimed in time to the next agent of the roster (and gives waiting leads
   * their first agent once a roster exists). Safe on every replica at once (SKIP LOCKED).
   */
  async reassignDue(now = new Date(), batch = 100): Promise<number> {
    const system: Actor = { id: null, role: 'system' };
    return this.db.transaction(async () => {
      const due = await this.leads.due(now, batch);
      let moved = 0;
      for (const lead of due) {
        const applicant = await this.applicants.findForUpdateAsSystem(lead.applicantId);
        if (!applicant || !lead.teamId) continue;
        const next = await this.leads.takeNextAgent(lead.teamId, lead.agentId);
        if (!next) {
          // Nobody else to give it to: the same agent gets another period (and is reminded by the event).
          if (lead.agentId) {
            lead.claimDeadline = new Date(now.getTime() + this.config.LEADS_CLAIM_TIMEOUT_MS);
            await this.leads.saveLead(lead);
            this.logger.warn(`lead ${lead.source}/${lead.portalLeadId} unclaimed by ${lead.agentId} but no other active agent in team ${lead.teamId}; deadline extended`);
          }
          continue;
        }
        await this.assign(applicant, lead, next, lead.agentId ? 'reassigned_unclaimed' : 'round_robin', system, now);
        if (lead.agentId !== null) lead.reassignments += 1;
        await this.leads.saveLead(lead);
        moved++;
      }
      if (moved) this.logger.log(`passed ${moved} unclaimed lead(s) on to the next agent`);
      return moved;
    });
  }

  async roster(teamId: string): Promise<RosterView> {
    this.assertRosterAccess(teamId, false);
    const [agents, routes] = await Promise.all([this.leads.roster(teamId), this.leads.sourcesOf(teamId)]);
    return {
      teamId,
      agents: agents.map((a) => ({ agentId: a.agentId, active: a.active, lastAssignedAt: a.lastAssignedAt?.toISOString() ?? null })),
      sources: routes.map((r) => r.source),
    };
  }

  async setRoster(input: RosterInput): Promise<RosterView> {
    this.assertRosterAccess(input.teamId, true);
    await this.db.transaction(async () => {
      await this.leads.setRoster(input.teamId, input.agentIds, input.sources);
      // Leads that waited for an agent get one at the next sweep.
    });
    this.logger.log(`lead roster of team ${input.teamId}: ${input.agentIds.length} agent(s), sources ${input.sources.join(', ') || 'none'}`);
    return this.roster(input.teamId);
  }

  private assertRosterAccess(teamId: string, write: boolean): void {
    const caller = requireCaller();
    if (caller.kind === 'service') {
      if (write) throw new ForbiddenError('roster-forbidden', 'Machine principals cannot change lead rosters.');
      return;
    }
    if (caller.role === 'admin') return;
    if (caller.role === 'manager' && caller.teamIds.includes(teamId)) return;
    throw new ForbiddenError('roster-forbidden', 'Only admins and the managers of a team can see or change its lead roster.');
  }

  private async createFromLead(lead: LeadInput, teamId: string | null, actor: Actor): Promise<ApplicantEntity> {
    const applicant = await this.applicants.insert({
      id: uuidv7(),
      ...splitName(lead.senderName),
      phones: lead.phones,
      emails: lead.emails,
      ownerId: null,
      teamId,
      status: 'new',
      lostReason: null,
      source: lead.source,
      tags: [],
      preferredLanguage: null,
      nationality: null,
      whatsappOptIn: false,
      emailOptIn: false,
      ...requirementColumns(NO_REQUIREMENTS),
      mergedInto: null,
    });
    await this.timeline.add(applicant.id, actor, { kind: 'created', summary: `Applicant created from a ${lead.source} lead`, data: { source: lead.source } });
    await this.audit.record(applicant.id, actor, 'create', null, auditState(applicant));
    await this.events.created(applicant);
    return applicant;
  }

  /** Gives the applicant (and the lead) to `agentId` with a claim deadline. */
  private async assign(applicant: ApplicantEntity, lead: LeadEntity, agentId: string, reason: string, actor: Actor, now: Date): Promise<ApplicantEntity> {
    const deadline = new Date(now.getTime() + this.config.LEADS_CLAIM_TIMEOUT_MS);
    const previous = applicant.ownerId;
    lead.agentId = agentId;
    lead.assignedAt = now;
    lead.claimDeadline = deadline;
    let saved = applicant;
    if (previous !== agentId || (lead.teamId && applicant.teamId !== lead.teamId && !previous)) {
      const before = auditState(applicant);
      applicant.ownerId = agentId;
      if (lead.teamId && !previous) applicant.teamId = lead.teamId;
      if (reason === 'reassigned_unclaimed' && lead.teamId) applicant.teamId = lead.teamId;
      saved = await this.applicants.save(applicant);
      await this.audit.record(saved.id, actor, 'assign', before, auditState(saved));
    }
    await this.timeline.add(saved.id, actor, {
      kind: 'assigned',
      summary: `Assigned to agent ${agentId} (${reason.replace(/_/g, ' ')}); claim by ${deadline.toISOString()}`,
      data: { agentId, previousAgentId: previous, reason, claimDeadline: deadline.toISOString(), lead: `${lead.source}/${lead.portalLeadId}` },
    });
    await this.events.assigned(saved, previous, reason, deadline);
    return saved;
  }
}
