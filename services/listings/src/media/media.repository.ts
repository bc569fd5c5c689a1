import { Injectable } from '@nestjs/common';
import { Db } from '@pace/database';
import type { MediaKind } from '@pace/listings-api';
import { MediaEntity } from './media.entity';

@Injectable()
export class MediaRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.repository(MediaEntity);
  }

  async insert(media: Omit<MediaEntity, 'createdAt'>): Promise<MediaEntity> {
    await this.repo.insert(media);
    return this.repo.findOneByOrFail({ id: media.id });
  }

  /** Every media item of these listings, in display order. */
  async forListings(listingIds: string[]): Promise<Map<string, MediaEntity[]>> {
    const out = new Map<string, MediaEntity[]>(listingIds.map((id) => [id, []]));
    if (!listingIds.length) return out;
    const rows = await this.repo
      .createQueryBuilder('m')
      .where('m.listing_id = ANY(:ids)', { ids: listingIds })
      .orderBy('m.listing_id')
      .addOrderBy('m.kind')
      .addOrderBy('m.position')
      .getMany();
    for (const row of rows) out.get(row.listingId)?.push(row);
    return out;
  }

  async forListing(listingId: string): Promise<MediaEntity[]> {
    return (await this.forListings([listingId])).get(listingId) ?? [];
  }

  countImages(listingId: string): Promise<number> {
    return this.repo.countBy({ listingId, kind: 'image' });
  }

  findOne(listingId: string, id: string): Promise<MediaEntity | null> {
    return this.repo.findOneBy({ listingId, id });
  }

  async nextPosition(listingId: string, kind: MediaKind): Promise<number> {
    const row = await this.repo
      .createQueryBuilder('m')
      .select('coalesce(max(m.position) + 1, 0)', 'next')
      .where('m.listing_id = :listingId AND m.kind = :kind', { listingId, kind })
      .getRawOne<{ next: number }>();
    return Number(row?.next ?? 0);
  }

  async update(id: string, changes: Partial<Pick<MediaEntity, 'position' | 'captionEn' | 'captionAr'>>): Promise<void> {
    await this.repo.update({ id }, changes);
  }

  async remove(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
