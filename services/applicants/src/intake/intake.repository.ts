import { Injectable } from '@nestjs/common';
import { Db } from '@pace/database';
import { LeadEntity, LeadRouteEntity, RosterAgentEntity } from './lead.entity';

/** Leads, rosters and routes. System data: no caller visibility applies here. */
@Injectable()
export class IntakeRepository {
  constructor(private readonly db: Db) {}

  /** Serialises intake of one portal lead (until commit): a redelivery waits, then sees the first. */
  async lockLead(source: string, portalLeadId: string): Promise<void> {
    await this.db.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`pace-applicants:lead:${source}:${portalLeadId}`]);
  }

  findLead(source: string, portalLeadId: string): Promise<LeadEntity | null> {
    return this.db.repository(LeadEntity).findOneBy({ source, portalLeadId });
  }

  async insertLead(lead: LeadEntity): Promise<void> {
    await this.db.repository(LeadEntity).insert(lead);
  }

  async saveLead(lead: LeadEntity): Promise<void> {
    await this.db.repository(LeadEntity).save(lead);
  }

  async routeOf(source: string): Promise<string | null> {
    return (await this.db.repository(LeadRouteEntity).findOneBy({ source }))?.teamId ?? null;
  }

  /**
   * The next agent of the team's roster: the active one assigned least recently (never first),
   * skipping `exclude`. The team's roster is locked until commit, so leads arriving together
   * each see the previous one's choice: strict turns, not everyone to the same agent.
   */
  async takeNextAgent(teamId: string, exclude: string | null): Promise<string | null> {
    await this.db.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`pace-applicants:roster:${teamId}`]);
    const rows = (await this.db.manager.query(
      `SELECT agent_id FROM "applicants".roster_agent
        WHERE team_id = $1 AND active AND ($2::uuid IS NULL OR agent_id <> $2::uuid)
        ORDER BY last_assigned_at ASC NULLS FIRST, position ASC, agent_id ASC
        LIMIT 1`,
      [teamId, exclude],
    )) as { agent_id: string }[];
    const agentId = rows[0]?.agent_id;
    if (!agentId) return null;
    await this.db.manager.query(`UPDATE "applicants".roster_agent SET last_assigned_at = clock_timestamp() WHERE team_id = $1 AND agent_id = $2`, [teamId, agentId]);
    return agentId;
  }

  /** Unclaimed leads of `agentId` for the applicant, locked. */
  unclaimedFor(applicantId: string, agentId: string): Promise<LeadEntity[]> {
    return this.db
      .repository(LeadEntity)
      .createQueryBuilder('l')
      .where('l.applicant_id = :applicantId AND l.agent_id = :agentId AND l.claimed_at IS NULL', { applicantId, agentId })
      .setLock('pessimistic_write')
      .getMany();
  }

  /** Every unclaimed lead of the applicant, locked. */
  unclaimedOf(applicantId: string): Promise<LeadEntity[]> {
    return this.db.repository(LeadEntity).createQueryBuilder('l').where('l.applicant_id = :applicantId AND l.claimed_at IS NULL', { applicantId }).setLock('pessimistic_write').getMany();
  }

  /**
   * Unclaimed leads past their deadline, and leads still waiting for an agent, locked with SKIP
   * LOCKED: replicas sweeping at once take disjoint sets and never wait on each other.
   */
  due(now: Date, limit: number): Promise<LeadEntity[]> {
    return this.db
      .repository(LeadEntity)
      .createQueryBuilder('l')
      .where('l.claimed_at IS NULL')
      .andWhere('((l.claim_deadline IS NOT NULL AND l.claim_deadline <= :now) OR (l.agent_id IS NULL AND l.team_id IS NOT NULL))', { now })
      .orderBy('l.claim_deadline', 'ASC', 'NULLS FIRST')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  async repointLeads(fromApplicantId: string, toApplicantId: string): Promise<void> {
    await this.db.repository(LeadEntity).update({ applicantId: fromApplicantId }, { applicantId: toApplicantId });
  }

  roster(teamId: string): Promise<RosterAgentEntity[]> {
    return this.db.repository(RosterAgentEntity).find({ where: { teamId }, order: { position: 'ASC', agentId: 'ASC' } });
  }

  sourcesOf(teamId: string): Promise<LeadRouteEntity[]> {
    return this.db.repository(LeadRouteEntity).find({ where: { teamId }, order: { source: 'ASC' } });
  }

  /** The given agents take the team's leads (in this order for their first turn); the rest sit out, keeping their history. */
  async setRoster(teamId: string, agentIds: string[], sources: string[]): Promise<void> {
    await this.db.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`pace-applicants:roster:${teamId}`]);
    await this.db.manager.query(`UPDATE "applicants".roster_agent SET active = false WHERE team_id = $1 AND NOT (agent_id = ANY($2::uuid[]))`, [teamId, agentIds]);
    for (const [position, agentId] of agentIds.entries()) {
      await this.db.manager.query(
        `INSERT INTO "applicants".roster_agent (team_id, agent_id, active, position) VALUES ($1, $2, true, $3)
         ON CONFLICT (team_id, agent_id) DO UPDATE SET active = true, position = EXCLUDED.position`,
        [teamId, agentId, position],
      );
    }
    await this.db.manager.query(`DELETE FROM "applicants".lead_route WHERE team_id = $1 AND NOT (source = ANY($2::text[]))`, [teamId, sources]);
    for (const source of sources) {
      await this.db.manager.query(`INSERT INTO "applicants".lead_route (source, team_id) VALUES ($1, $2) ON CONFLICT (source) DO UPDATE SET team_id = EXCLUDED.team_id`, [source, teamId]);
    }
  }
}
