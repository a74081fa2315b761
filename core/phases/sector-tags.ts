/**
 * Phase sector_tags (portfolio scope, non-critical; SPEC.md c.9, d.13): link every
 * non-deleted lot to the sector tag of its symbol, creating missing tags, removing links to
 * sector tags no longer wanted and keeping usage counts. Does work only when the wanted set
 * of links differs from the current one.
 */
import { outcome, type PortfolioPhase } from '../engine/phase-types';
import { sectorTagColor, titleCaseSector, UNCATEGORIZED } from './sector-tags/sector-names';

const uuid = (run: { random: { next(): number } }): string => {
  const hex = Array.from({ length: 32 }, () => Math.floor(run.random.next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export const sectorTagsPhase: PortfolioPhase = {
  name: 'sector_tags',
  scope: 'portfolio',
  critical: false,
  reads: ['portfolios', 'positions', 'company_profiles', 'users'],
  writes: ['tags_v2', 'position_tags'],
  run(ctx) {
    const { run, portfolio } = ctx;
    const wanted = new Map<string, string>(); // lot id -> tag name
    let uncategorized = 0;
    for (const lot of ctx.lots) {
      const sector = run.profiles.get(lot.symbol)?.sector?.trim();
      const name = sector ? titleCaseSector(sector) : UNCATEGORIZED;
      if (name === UNCATEGORIZED) uncategorized++;
      wanted.set(lot.id, name);
    }
    // Within a run nothing else writes this portfolio's links: when the wanted set equals the one
    // this phase last left in place, the links are unchanged without reading them again. The run's
    // lots keep their order, so the pairs in that order identify the set.
    const memoKey = `sector_tags:${portfolio.id}`;
    let signature = '';
    for (const [lot, name] of wanted) signature += `${lot}=${name}\n`;
    if (run.memo.get(memoKey) === signature) {
      return outcome('success', { positions_tagged: wanted.size, tags_created: 0, links_added: 0, links_removed: 0, uncategorized_count: uncategorized, unchanged: true });
    }
    const tags = run.store.loadUserTags(portfolio.userId);
    const byName = new Map(tags.map((t) => [t.name, t]));
    const isSectorTag = (t: { name: string; description: string | null }) => t.name === UNCATEGORIZED || (t.description ?? '').startsWith('Sector:');
    const sectorTagIds = new Set(tags.filter(isSectorTag).map((t) => t.id));
    const links = run.store.loadLinks(ctx.lots.map((l) => l.id)).filter((l) => sectorTagIds.has(l.tagId));
    const tagNameById = new Map(tags.map((t) => [t.id, t.name]));
    const unchanged =
      links.length === wanted.size &&
      links.every((l) => wanted.get(l.positionId) === tagNameById.get(l.tagId)) &&
      new Set(links.map((l) => l.positionId)).size === links.length;
    const metrics = { positions_tagged: wanted.size, tags_created: 0, links_added: 0, links_removed: 0, uncategorized_count: uncategorized, unchanged };
    if (unchanged) {
      if (!run.monitorOnly) run.memo.set(memoKey, signature);
      return outcome('success', metrics);
    }

    const nowIso = run.nowIso();
    for (const name of new Set(wanted.values())) {
      if (byName.has(name)) continue;
      const tag = {
        id: uuid(run),
        userId: portfolio.userId,
        name,
        color: sectorTagColor(name),
        description: name === UNCATEGORIZED ? 'Positions without sector classification' : `Sector: ${name}`,
      };
      run.store.createTag(tag, nowIso);
      byName.set(name, { id: tag.id, name, description: tag.description, usageCount: 0 });
      tagNameById.set(tag.id, name);
      metrics.tags_created++;
    }
    const have = new Set<string>();
    for (const l of links) {
      if (wanted.get(l.positionId) === tagNameById.get(l.tagId) && !have.has(l.positionId)) {
        have.add(l.positionId);
        continue;
      }
      run.store.removeLink(l.id);
      run.store.adjustUsage(l.tagId, -1, nowIso);
      metrics.links_removed++;
    }
    for (const [lotId, name] of wanted) {
      if (have.has(lotId)) continue;
      const tag = byName.get(name)!;
      run.store.addLink({ id: uuid(run), positionId: lotId, tagId: tag.id, assignedBy: portfolio.userId }, nowIso);
      run.store.adjustUsage(tag.id, 1, nowIso);
      metrics.links_added++;
    }
    if (!run.monitorOnly) run.memo.set(memoKey, signature);
    return outcome('success', metrics);
  },
};
