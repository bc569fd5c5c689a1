import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Events waiting to be published, written in the same transaction as the change they describe.
 * Lives in each producing service's own schema.
 */
@Entity('outbox')
// The relay's claim walks pending rows in id order and stops at its batch: an index of the pending
// ids only, however many sent rows the table keeps (rows waiting for a retry are filtered on the way).
@Index('outbox_pending', ['id'], { where: 'sent_at IS NULL' })
@Index('outbox_sent', ['sentAt'], { where: 'sent_at IS NOT NULL' })
export class OutboxEntity {
  /** The event id (UUIDv7): time-ordered, so ordering by id is publishing order. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'text' })
  aggregateId!: string;

  @Column({ type: 'bigint' })
  aggregateVersion!: string;

  /** The serialized envelope exactly as it goes on the wire (proto3 JSON). */
  @Column({ type: 'text' })
  data!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}

/**
 * Events this service has handled, committed with the handler's effects: a redelivered event
 * finds its id here and has no second effect.
 */
@Entity('inbox')
@Index('inbox_handled_at', ['handledAt'])
export class InboxEntity {
  @PrimaryColumn('uuid')
  eventId!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  aggregateId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  handledAt!: Date;
}

/** Add to a service's `db.entities` when it publishes or consumes events. */
export const eventEntities = [OutboxEntity, InboxEntity];
