/**
 * An ECharts chart from the tree-shaken core (line, bar; grid, tooltip, legend, data zoom;
 * canvas renderer). The library is loaded on first use, so the app shell paints first.
 * The chart is labelled for screen readers; the data is also shown in tables on each screen.
 */
import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';

/** The registered chart modules, loaded on first use (the module loader caches them). */
function loadECharts() {
  return import('./echarts-setup').then((m) => m.echarts);
}

export function Chart({ option, label, height = 280, testId }: { option: EChartsCoreOption; label: string; height?: number; testId?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    void loadECharts().then((echarts) => {
      if (disposed || !el.current) return;
      chart.current = echarts.init(el.current, undefined, { renderer: 'canvas' });
      observer = new ResizeObserver(() => chart.current?.resize());
      observer.observe(el.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    if (ready) chart.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [ready, option]);
  return <div ref={el} className="chart" role="img" aria-label={label} style={{ height }} data-testid={testId} data-ready={ready ? 'true' : 'false'} />;
}
