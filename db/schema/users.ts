import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { checkBool } from './columns';

/** users (raw, minimal; SPEC.md b.2). No credentials are ever stored. */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    userKey: text('user_key').notNull(),
    email: text('email'),
    fullName: text('full_name'),
    isActive: integer('is_active').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at'),
  },
  (t) => [
    uniqueIndex('users_user_key_uq').on(t.userKey),
    uniqueIndex('users_email_uq').on(t.email),
    checkBool('users_is_active_bool', t.isActive),
  ],
);
