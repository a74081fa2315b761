/**
 * Browser entry for test/e2e/analytics-bar-labels.test.ts: draws the Analytics screen's bar
 * option (renderer/features/analytics/chart-options.ts) with the app's ECharts build into a
 * box of a given width, and returns every axis label as drawn: its text (as cut) and its box
 * in the chart's pixels. Bundled for Chromium by bundleBarChartHarness.
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
    const rect = span.getBoundingRect().clone();
    rect.applyTransform(span.getComputedTransform());
    // The label's own text is the whole name (a category label) or the formatted value.
    const full = label.style.text ?? '';
    labels.push({ text: span.style.text, name: names.includes(full) ? full : null, truncated: label.isTruncated === true, x: rect.x, y: rect.y, width: rect.width, height: rect.height });
  }
  return { labels, width: chart.getWidth(), height: chart.getHeight() };
}

(window as unknown as { drawBars: typeof drawBars }).drawBars = drawBars;
