/**
 * Browser entry for test/e2e/analytics-bar-labels.test.ts: draws the Analytics screen's bar
 * option (renderer/features/analytics/chart-options.ts) with the app's ECharts build into a
 * box of a given width, and returns every axis label as drawn: its text (as cut) and its box
 * in the chart's pixels, and the middle of each bar (to hover it); `drawnTooltip` returns the
 * tooltip shown, as drawn in the canvas. Bundled for Chromium by bundleHarness.
 */
import { barOption } from '../../../renderer/features/analytics/chart-options';
import { echarts } from '../../../renderer/ui/echarts-setup';

export interface DrawnLabel {
  readonly text: string;
  /** The name it stands for (the category axis), or null for a value axis label. */
  readonly name: string | null;
  readonly truncated: boolean;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface DrawnChart {
  readonly labels: DrawnLabel[];
  /** The middle of each bar, in the chart's pixels, by name. */
  readonly bars: { readonly name: string; readonly x: number; readonly y: number }[];
  readonly width: number;
  readonly height: number;
}

/** A run of a drawn text (one style of a rich text) and its box in the chart's pixels. */
export interface DrawnRun {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
  applyTransform(m: unknown): void;
}

/**
 * The parts of zrender's elements this reads (zrender exports no type the app uses): a label
 * is a text element (the axis builder names it `label_` and its tick) drawn as one span per line.
 */
interface Drawn {
  readonly type: string;
  readonly style: { readonly text?: string };
  readonly parent?: Drawn;
  readonly anid?: string;
  readonly isTruncated?: boolean;
  getBoundingRect(): { clone(): Rect };
  getComputedTransform(): unknown;
}

/** The box of a drawn span in the chart's pixels. */
function boxOf(span: Drawn): Rect {
  const rect = span.getBoundingRect().clone();
  rect.applyTransform(span.getComputedTransform());
  return rect;
}

function drawBars(width: number, height: number, names: string[], values: number[]): DrawnChart {
  const box = document.createElement('div');
  box.id = 'chart';
  box.style.width = `${width}px`;
  box.style.height = `${height}px`;
  document.body.replaceChildren(box);
  const chart = echarts.init(box, undefined, { renderer: 'canvas' });
  chart.setOption(barOption(names, values, 'correlated P&L ($)'));
  const labels: DrawnLabel[] = [];
  for (const span of chart.getZr().storage.getDisplayList() as unknown as Drawn[]) {
    const label = span.parent;
    if (span.type !== 'tspan' || !span.style.text || label?.type !== 'text' || !label.anid?.startsWith('label_')) continue;
    const rect = boxOf(span);
    // The label's own text is the whole name (a category label) or the formatted value.
    const full = label.style.text ?? '';
    labels.push({ text: span.style.text, name: names.includes(full) ? full : null, truncated: label.isTruncated === true, x: rect.x, y: rect.y, width: rect.width, height: rect.height });
  }
  const bars = names.map((name, i) => {
    const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [values[i]! / 2, i]) as number[];
    return { name, x: x!, y: y! };
  });
  return { labels, bars, width: chart.getWidth(), height: chart.getHeight() };
}

/**
 * The tooltip shown, as drawn in the canvas (a rich text at zrender's root, where the chart's
 * own texts sit in its groups): its runs of text (not the blank one of the series' colour
 * marker), line by line (by their middles), left to right. Empty while none is shown, or when
 * it is an HTML tooltip (not drawn in the canvas).
 */
function drawnTooltip(): DrawnRun[] {
  const chart = echarts.getInstanceByDom(document.getElementById('chart')!)!;
  const runs: DrawnRun[] = [];
  for (const span of chart.getZr().storage.getDisplayList() as unknown as Drawn[]) {
    const text = span.parent;
    if (span.type !== 'tspan' || !span.style.text?.trim() || text?.type !== 'text' || text.parent) continue;
    const rect = boxOf(span);
    runs.push({ text: span.style.text, x: rect.x, y: rect.y, width: rect.width, height: rect.height });
  }
  const line = (r: DrawnRun) => Math.round(r.y + r.height / 2);
  return runs.sort((a, b) => line(a) - line(b) || a.x - b.x);
}

Object.assign(window, { drawBars, drawnTooltip });
