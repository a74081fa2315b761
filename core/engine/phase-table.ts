/**
 * The phase table (SPEC.md c.1, c.4): the one declared list the orchestrator iterates, in the
 * fixed per-date order. validatePhaseOrder enforces c.2: for phases i < j, reads(i) ∩
 * writes(j) must be empty (resources compare as strings, so column groups are separate).
 */
import type { PhaseName } from '../domain/phase';
import { analyticsPhase } from '../phases/analytics';
import { fundamentalsPhase } from '../phases/fundamentals';
import { marketDataPhase } from '../phases/market-data';
import { marksPhase } from '../phases/marks';
import { sectorTagsPhase } from '../phases/sector-tags';
import { snapshotsPhase } from '../phases/snapshots';
import type { PhaseDeclaration } from './phase-types';

export const PHASE_TABLE: readonly PhaseDeclaration[] = [marketDataPhase, fundamentalsPhase, marksPhase, snapshotsPhase, sectorTagsPhase, analyticsPhase];

export interface OrderViolation {
  readonly reader: PhaseName;
  readonly writer: PhaseName;
  readonly resource: string;
}

export function findOrderViolations(table: readonly Pick<PhaseDeclaration, 'name' | 'reads' | 'writes'>[]): OrderViolation[] {
  const out: OrderViolation[] = [];
  for (let i = 0; i < table.length; i++) {
    for (let j = i + 1; j < table.length; j++) {
      for (const r of table[i]!.reads) if (table[j]!.writes.includes(r)) out.push({ reader: table[i]!.name, writer: table[j]!.name, resource: r });
    }
  }
  return out;
}

/** Throws, naming the phase pair and the resource, when the order rule is broken. */
export function validatePhaseOrder(table: readonly Pick<PhaseDeclaration, 'name' | 'reads' | 'writes'>[]): void {
  const v = findOrderViolations(table);
  if (v.length) {
    throw new Error(
      `phase order is invalid: ${v.map((x) => `${x.reader} reads ${x.resource}, which the later phase ${x.writer} writes`).join('; ')}`,
    );
  }
}

export function phaseByName(name: PhaseName): PhaseDeclaration {
  return PHASE_TABLE.find((p) => p.name === name)!;
}

/** Later phases that read (directly or transitively) what `name` writes (g.3 retry dependents). */
export function dependentsOf(name: PhaseName, table: readonly PhaseDeclaration[] = PHASE_TABLE): PhaseName[] {
  const idx = table.findIndex((p) => p.name === name);
  const dirty = new Set<string>(table[idx]!.writes);
  const out: PhaseName[] = [];
  for (let j = idx + 1; j < table.length; j++) {
    const p = table[j]!;
    if (p.reads.some((r) => dirty.has(r))) {
      out.push(p.name);
      for (const w of p.writes) dirty.add(w);
    }
  }
  return out;
}
