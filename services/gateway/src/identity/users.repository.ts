import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '@pace/database';
import { CredentialCache } from '../auth/credential-cache';
import { TeamEntity, TeamMembershipEntity } from './team.entity';
import { UserEntity, type UserStatus } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(
    private readonly db: Db,
    private readonly cache: CredentialCache,
  ) {}

  private get users() {
    return this.db.repository(UserEntity);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  findBySub(sub: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ googleSub: sub });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email });
  }

  /** Locks the row until the transaction ends (concurrent admin changes serialise). */
  findForUpdate(id: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(user: Omit<UserEntity, 'createdAt' | 'updatedAt' | 'version'>): Promise<UserEntity> {
    await this.users.insert(user);
    return this.users.findOneByOrFail({ id: user.id });
  }

  /** Role and status decide what a session grants: cached sessions are dropped as this commits. */
  async save(user: UserEntity): Promise<UserEntity> {
    const saved = await this.users.save(user);
    this.cache.invalidateOnCommit();
    return saved;
  }

  /** Newest first by id (UUIDv7 is time-ordered); `limit + 1` rows. */
  list(status: UserStatus | undefined, limit: number, afterId?: string): Promise<UserEntity[]> {
    const query = this.users.createQueryBuilder('u').where('true');
    if (status) query.andWhere('u.status = :status', { status });
    if (afterId) query.andWhere('u.id < :afterId', { afterId });
    return query.orderBy('u.id', 'DESC').limit(limit + 1).getMany();
  }

  async teamIdsOf(userIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>(userIds.map((id) => [id, []]));
    if (!userIds.length) return map;
    const rows = await this.db.repository(TeamMembershipEntity).find({ where: { userId: In(userIds) }, order: { teamId: 'ASC' } });
    for (const row of rows) map.get(row.userId)?.push(row.teamId);
    return map;
  }

  async setTeams(userId: string, teamIds: string[]): Promise<void> {
    const memberships = this.db.repository(TeamMembershipEntity);
    await memberships.delete({ userId });
    if (teamIds.length) await memberships.insert(teamIds.map((teamId) => ({ userId, teamId })));
    this.cache.invalidateOnCommit();
  }

  async isMember(userId: string, teamId: string): Promise<boolean> {
    return (await this.db.repository(TeamMembershipEntity).countBy({ userId, teamId })) > 0;
  }

  async insertTeam(team: Omit<TeamEntity, 'createdAt'>): Promise<TeamEntity> {
    await this.db.repository(TeamEntity).insert(team);
    return this.db.repository(TeamEntity).findOneByOrFail({ id: team.id });
  }

  findTeamByName(name: string): Promise<TeamEntity | null> {
    return this.db.repository(TeamEntity).findOneBy({ name });
  }

  listTeams(): Promise<TeamEntity[]> {
    return this.db.repository(TeamEntity).find({ order: { name: 'ASC' } });
  }

  async countTeams(ids: string[]): Promise<number> {
    return ids.length ? this.db.repository(TeamEntity).countBy({ id: In(ids) }) : 0;
  }
}
