import { z } from 'zod';
import { method } from './define';
import { ok } from './common';
import { filterModelSchema } from './filter';
import { sortSchema } from './query';

export const savedViewSchema = z.object({
  id: z.string(),
  name: z.string().min(1).max(120),
  filter: filterModelSchema,
  columns: z.array(z.string().max(64)).max(40),
  sort: sortSchema,
  created_at: z.number().int(),
});
export type SavedView = z.infer<typeof savedViewSchema>;

export const viewMethods = {
  'views.list': method(z.object({}), z.array(savedViewSchema)),
  'views.save': method(savedViewSchema.omit({ id: true, created_at: true }).extend({ id: z.string().optional() }), savedViewSchema),
  'views.delete': method(z.object({ id: z.string() }), ok),
};
