/** tags_v2 and position_tags as the sector_tags phase uses them (SPEC.md d.13). */
import type { TagStore } from '../../core/ports/store';
import type { SqliteDatabase } from '../open-database';
import { statementCache } from '../statement-cache';
import { inList } from '../sql-lists';

export function tagRepository(db: SqliteDatabase): TagStore {
  const sql = statementCache(db);
  return {
    loadUserTags(userId) {
      return (
        sql(`SELECT id, name, description, usage_count FROM tags_v2 WHERE user_id = ? AND is_archived = 0 ORDER BY name`).all(userId) as {
          id: string;
          name: string;
          description: string | null;
          usage_count: number | null;
        }[]
      ).map((r) => ({ id: r.id, name: r.name, description: r.description, usageCount: r.usage_count ?? 0 }));
    },
    createTag(t, nowIso) {
      sql(
        `INSERT INTO tags_v2 (id, user_id, name, color, description, display_order, usage_count, is_archived, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0, 0, ?, ?)`,
      ).run(t.id, t.userId, t.name, t.color, t.description, nowIso, nowIso);
    },
    loadLinks(positionIds) {
      if (positionIds.length === 0) return [];
      return (
        sql(`SELECT id, position_id, tag_id FROM position_tags WHERE position_id IN (${inList(positionIds)}) ORDER BY id`).all(...positionIds) as {
          id: string;
          position_id: string;
          tag_id: string;
        }[]
      ).map((r) => ({ id: r.id, positionId: r.position_id, tagId: r.tag_id }));
    },
    addLink(l, nowIso) {
      sql(`INSERT INTO position_tags (id, position_id, tag_id, assigned_at, assigned_by) VALUES (?, ?, ?, ?, ?)`).run(l.id, l.positionId, l.tagId, nowIso, l.assignedBy);
    },
    removeLink(id) {
      sql(`DELETE FROM position_tags WHERE id = ?`).run(id);
    },
    adjustUsage(tagId, delta, nowIso) {
      sql(`UPDATE tags_v2 SET usage_count = MAX(0, COALESCE(usage_count, 0) + ?), updated_at = ? WHERE id = ?`).run(delta, nowIso, tagId);
    },
  };
}
