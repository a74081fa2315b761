/**
 * happy-dom has no layout: every element measures 0 x 0, so a virtualized list renders no
 * rows. This gives every element a 1000 x 400 box (call it in beforeEach; vi.restoreAllMocks
 * undoes it).
 */
import { vi } from 'vitest';

export function fakeLayout(): void {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ x: 0, y: 0, top: 0, left: 0, bottom: 400, right: 1000, width: 1000, height: 400, toJSON: () => ({}) } as DOMRect);
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(400);
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000);
  vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockReturnValue(1000);
}
