import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('team')
export class TeamEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Index('team_name', { unique: true })
  @Column({ type: 'text' })
  name!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** Agents belong to teams; managers lead them (the user's role says which). */
@Entity('team_membership')
@Index('team_membership_team_id', ['teamId'])
export class TeamMembershipEntity {
  @PrimaryColumn('uuid')
  userId!: string;

  @PrimaryColumn('uuid')
  teamId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
