import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { ZodPipe } from '@pace/http';
import { DirectoryService } from './directory.service';

const lookupQuery = z.object({ phone: z.string().trim().min(3, 'give the phone number to look up').max(32) });

@Controller('directory')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  /** Screen pop: `GET /directory?phone=0501234567` → the applicants with that number. */
  @Get()
  lookup(@Query(new ZodPipe(lookupQuery)) query: z.infer<typeof lookupQuery>) {
    return this.directory.lookup(query.phone);
  }
}
