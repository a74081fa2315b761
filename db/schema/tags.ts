import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { checkBool, checkSql } from './columns';
import { positions } from './portfolios';
import { users } from './users';

/** tags_v2 (raw; user tags and the sector tags the sector_tags phase maintains; SPEC.md b.2). */
export const tagsV2 = sqliteTable(
  'tags_v2',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    color: text('color').notNull().default('#4A90E2'),
    description: text('description'),
    displayOrder: integer('display_order').default(0),
    usageCount: integer('usage_count').default(0),
    isArchived: integer('is_archived').notNull().default(0),
    archivedAt: text('archived_at'),
    archivedBy: text('archived_by').references(() => users.id),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
  },
  (t) => [
    uniqueIndex('tags_v2_user_name_archived_uq').on(t.userId, t.name, t.isArchived),
    checkBool('tags_v2_is_archived_bool', t.isArchived),
    checkSql('tags_v2_name_len', sql`length(${t.name}) <= 50`),
    checkSql('tags_v2_color_hex', sql`${t.color} GLOB '#[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]'`),
  ],
);

/** position_tags (raw; SPEC.md b.2). */
export const positionTags = sqliteTable(
  'position_tags',
  {
    id: text('id').primaryKey(),
    positionId: text('position_id').notNull().references(() => positions.id, { onDelete: 'cascade' }),
    tagId: text('tag_id').notNull().references(() => tagsV2.id, { onDelete: 'cascade' }),
    assignedAt: text('assigned_at').notNull(),
    assignedBy: text('assigned_by').references(() => users.id),
  },
  (t) => [uniqueIndex('position_tags_position_tag_uq').on(t.positionId, t.tagId)],
);
